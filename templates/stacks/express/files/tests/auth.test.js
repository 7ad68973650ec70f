import request from "supertest";
import { createTestContext, expectError, registerUser } from "./helpers.js";

let ctx;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

describe("POST /auth/register", () => {
  test("creates a user with a hashed password and returns a token", async () => {
    const res = await request(ctx.app)
      .post("/auth/register")
      .send({ email: "Ada@Example.com", password: "s3cret-pass", name: "Ada" })
      .expect(201);
    expect(res.body.user).toMatchObject({ email: "ada@example.com", name: "Ada" });
    expect(res.body.user).not.toHaveProperty("password_hash");
    expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(res.body.access_token.split(".")).toHaveLength(3);

    const stored = await ctx.models.User.findOne({ where: { email: "ada@example.com" } });
    expect(stored.password_hash).not.toContain("s3cret-pass");
    expect(stored.password_hash).toMatch(/^\$2[aby]\$/);
  });

  test("rejects a duplicate email with 409", async () => {
    const { email } = await registerUser(ctx.app);
    const res = await request(ctx.app).post("/auth/register").send({ email, password: "another-pass" });
    expectError(res, 409, "conflict");
  });

  test("validates the body with 422 and details", async () => {
    const res = await request(ctx.app).post("/auth/register").send({ email: "not-an-email", password: "short" });
    expectError(res, 422, "validation_error");
    const paths = res.body.error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["body.email", "body.password"]));
  });

  test("rejects malformed JSON with 400", async () => {
    const res = await request(ctx.app)
      .post("/auth/register")
      .set("Content-Type", "application/json")
      .send('{"email": ');
    expectError(res, 400, "bad_request");
  });
});

describe("POST /auth/login", () => {
  test("returns a token for the right password", async () => {
    const { email, password } = await registerUser(ctx.app);
    const res = await request(ctx.app).post("/auth/login").send({ email, password }).expect(200);
    expect(res.body.access_token).toEqual(expect.any(String));
    expect(res.body.user.email).toBe(email);
  });

  test("rejects a wrong password or unknown email with 401", async () => {
    const { email } = await registerUser(ctx.app);
    expectError(await request(ctx.app).post("/auth/login").send({ email, password: "wrong-password" }), 401, "unauthorized");
    expectError(
      await request(ctx.app).post("/auth/login").send({ email: "nobody@example.com", password: "whatever1" }),
      401,
      "unauthorized",
    );
  });
});

describe("GET /auth/me", () => {
  test("returns the current user", async () => {
    const { auth, email } = await registerUser(ctx.app);
    const res = await request(ctx.app).get("/auth/me").set("Authorization", auth).expect(200);
    expect(res.body.email).toBe(email);
    expect(res.body).not.toHaveProperty("password_hash");
  });

  test("needs a valid token", async () => {
    expectError(await request(ctx.app).get("/auth/me"), 401, "unauthorized");
    expectError(await request(ctx.app).get("/auth/me").set("Authorization", "Bearer nope"), 401, "unauthorized");
    expectError(await request(ctx.app).get("/auth/me").set("Authorization", "Basic dXNlcjpwYXNz"), 401, "unauthorized");
  });

  test("rejects a token signed with another key", async () => {
    const other = await createTestContext(
      { secretKey: "another-secret-another-secret-another-secret" },
      { fresh: false },
    );
    try {
      const { auth } = await registerUser(other.app);
      expectError(await request(ctx.app).get("/auth/me").set("Authorization", auth), 401, "unauthorized");
    } finally {
      await other.close();
    }
  });
});

test("auth routes are rate limited", async () => {
  const limited = await createTestContext({ authRateLimit: 2 }, { fresh: false });
  try {
    const body = { email: "nobody@example.com", password: "whatever1" };
    await request(limited.app).post("/auth/login").send(body).expect(401);
    await request(limited.app).post("/auth/login").send(body).expect(401);
    const res = await request(limited.app).post("/auth/login").send(body);
    expectError(res, 429, "rate_limited");
    expect(res.headers).toHaveProperty("ratelimit");
  } finally {
    await limited.close();
  }
});
