import { ConfigError, loadConfig } from "../src/config.js";

test("defaults to SQLite when DATABASE_URL is unset", () => {
  expect(loadConfig({ NODE_ENV: "development" }).database).toEqual({ storage: "data/app.sqlite" });
  expect(loadConfig({ NODE_ENV: "test", DATABASE_URL: "" }).database).toEqual({ storage: ":memory:" });
});

test("uses DATABASE_URL when set", () => {
  const url = "postgresql://app:app@localhost:5432/app";
  expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ url });
});

test("requires SECRET_KEY in production", () => {
  expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
  expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/SECRET_KEY/);
  const config = loadConfig({ NODE_ENV: "production", SECRET_KEY: "x".repeat(64) });
  expect(config.secretKey).toBe("x".repeat(64));
});

test("reports every invalid variable at once", () => {
  const env = { NODE_ENV: "staging", PORT: "http", DATABASE_URL: "oracle://db" };
  expect(() => loadConfig(env)).toThrow(/NODE_ENV[\s\S]*PORT[\s\S]*DATABASE_URL/);
});
