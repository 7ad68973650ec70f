import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const DEV_SECRET = "dev-only-secret-change-me-dev-only-secret-change-me";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000), // 0: any free port
    HOST: z.string().min(1).default("0.0.0.0"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .optional(),
    // Unset: a SQLite file (in memory for tests).
    // Else postgresql://user:pass@host:5432/db or mysql://user:pass@host:3306/db
    DATABASE_URL: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z
        .string()
        .regex(/^(postgres(ql)?|mysql|mariadb|sqlite):/, "must start with postgresql://, mysql:// or sqlite:")
        .optional(),
    ),
    SQLITE_PATH: z.string().min(1).default("data/app.sqlite"),
    SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
    JWT_EXPIRES_IN: z.string().regex(/^\d+[smhd]?$/, "use e.g. 3600, 15m, 1h, 7d").default("1h"),
    BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).optional(),
    CORS_ORIGIN: z.string().default("*"),
    AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
    TRUST_PROXY: z.string().default("loopback"),
    RUN_MIGRATIONS: z.enum(["true", "false", "1", "0"]).default("false"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.SECRET_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["SECRET_KEY"],
        message: "is required in production (64 random hex chars: openssl rand -hex 32)",
      });
    }
  });

export class ConfigError extends Error {
  constructor(issues) {
    const lines = issues.map((i) => `  - ${i.path.join(".") || "environment"}: ${i.message}`);
    super(`Invalid configuration:\n${lines.join("\n")}`);
    this.name = "ConfigError";
  }
}

function database(env) {
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL.replace(/^mariadb:/, "mysql:") };
  }
  return { storage: env.NODE_ENV === "test" ? ":memory:" : env.SQLITE_PATH };
}

function parseTrustProxy(value) {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Reads and validates the configuration; throws a ConfigError listing every problem. */
export function loadConfig(env = process.env) {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues);
  const e = result.data;
  const test = e.NODE_ENV === "test";
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL ?? (test ? "silent" : "info"),
    database: database(e),
    secretKey: e.SECRET_KEY ?? DEV_SECRET,
    jwtExpiresIn: /^\d+$/.test(e.JWT_EXPIRES_IN) ? Number(e.JWT_EXPIRES_IN) : e.JWT_EXPIRES_IN,
    bcryptRounds: e.BCRYPT_ROUNDS ?? (test ? 4 : 12),
    corsOrigin: e.CORS_ORIGIN === "*" ? "*" : e.CORS_ORIGIN.split(",").map((o) => o.trim()),
    authRateLimit: e.AUTH_RATE_LIMIT,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    runMigrations: e.RUN_MIGRATIONS === "true" || e.RUN_MIGRATIONS === "1",
  });
}

/**
 * loadConfig for the entry points (server, migrations): reads the service's
 * .env file first when there is one (variables already set win), and prints
 * what is wrong and exits instead of throwing. Tests call loadConfig directly
 * so a developer's .env never points them at a real database.
 */
export function loadConfigOrExit(env = process.env) {
  const envFile = fileURLToPath(new URL("../.env", import.meta.url));
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
