import { Router } from "express";
import { rateLimit } from "express-rate-limit";
import { z } from "zod";
import { conflict, HttpError, unauthorized } from "../errors.js";
import { validate } from "../middleware/validate.js";

const email = z.email().max(255).transform((value) => value.toLowerCase());
const password = z.string().min(8, "must be at least 8 characters").max(72, "must be at most 72 characters");

const registerSchema = z.strictObject({
  email,
  password,
  name: z.string().trim().min(1).max(255).optional(),
});
const loginSchema = z.strictObject({ email, password: z.string().min(1).max(72) });

/** /auth: register, login, me. */
export function authRouter({ auth, models, config, authenticate }) {
  const router = Router();
  const limiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: config.authRateLimit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new HttpError(429, "rate_limited", "Too many requests, try again later")),
  });

  router.post("/register", limiter, validate({ body: registerSchema }), async (req, res) => {
    const { email, password, name } = req.valid.body;
    if (await models.User.findOne({ where: { email } })) {
      throw conflict("Email is already registered", [{ path: "body.email", message: "already registered" }]);
    }
    const user = await models.User.create({
      email,
      name: name ?? null,
      password_hash: await auth.hashPassword(password),
    });
    res.status(201).json({ user, ...auth.issueToken(user) });
  });

  router.post("/login", limiter, validate({ body: loginSchema }), async (req, res) => {
    const { email, password } = req.valid.body;
    const user = await models.User.findOne({ where: { email } });
    const ok = await auth.verifyPassword(password, user?.password_hash);
    if (!user || !ok) throw unauthorized("Invalid email or password");
    res.json({ user, ...auth.issueToken(user) });
  });

  router.get("/me", authenticate, (req, res) => {
    res.json(req.user);
  });

  return router;
}
