import request from "supertest";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createSequelize } from "../src/db.js";
import { createLogger } from "../src/logger.js";
import { createMigrator } from "../src/migrator.js";
import { defineModels } from "../src/models/index.js";

/**
 * An app on a migrated database: in-memory SQLite, or the server in
 * DATABASE_URL when it is set. `fresh` drops every table first; a second
 * context in the same test file passes `fresh: false` so it does not wipe the
 * first one's data on a shared server. `events`, when given, is the
 * EventEmitter the app announces changes on (for the Socket.IO tests).
 */
export async function createTestContext(overrides = {}, { fresh = true, events } = {}) {
  const config = { ...loadConfig({ ...process.env, NODE_ENV: "test" }), ...overrides };
  const logger = createLogger(config);
  const sequelize = createSequelize(config, logger);
  const models = defineModels(sequelize);
  const migrator = createMigrator(sequelize);
  if (fresh) await migrator.down({ to: 0 });
  await migrator.up();
  const app = createApp({ config, logger, sequelize, models, events });
  return { app, config, logger, sequelize, models, close: () => sequelize.close() };
}

let counter = 0;

/** Registers a new user and returns its credentials and bearer header. */
export async function registerUser(app, fields = {}) {
  counter += 1;
  const body = { email: `user${counter}-${Date.now()}@example.com`, password: "correct horse battery", ...fields };
  const res = await request(app).post("/auth/register").send(body).expect(201);
  return { ...body, user: res.body.user, token: res.body.access_token, auth: `Bearer ${res.body.access_token}` };
}

/** Asserts the one error format: {"error": {"code", "message", "details"}}. */
export function expectError(res, status, code) {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/application\/json/);
  expect(Object.keys(res.body)).toEqual(["error"]);
  expect(Object.keys(res.body.error).sort()).toEqual(["code", "details", "message"]);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe("string");
  const { details } = res.body.error;
  expect(details === null || Array.isArray(details)).toBe(true);
}
