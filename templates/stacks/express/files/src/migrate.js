// Runs database migrations: `node src/migrate.js up|down|status`.
import { loadConfigOrExit } from "./config.js";
import { createSequelize } from "./db.js";
import { createLogger } from "./logger.js";
import { createMigrator } from "./migrator.js";

const command = process.argv[2] ?? "up";
const config = loadConfigOrExit();
const logger = createLogger(config);
const sequelize = createSequelize(config, logger);
const migrator = createMigrator(sequelize, logger);

try {
  if (command === "up") {
    const done = await migrator.up();
    logger.info({ migrations: done.map((m) => m.name) }, `applied ${done.length} migration(s)`);
  } else if (command === "down") {
    const done = await migrator.down();
    logger.info({ migrations: done.map((m) => m.name) }, `reverted ${done.length} migration(s)`);
  } else if (command === "status") {
    const executed = (await migrator.executed()).map((m) => m.name);
    const pending = (await migrator.pending()).map((m) => m.name);
    logger.info({ executed, pending }, "migration status");
  } else {
    throw new Error(`unknown command "${command}": use up, down or status`);
  }
} catch (error) {
  logger.error({ err: error }, "migration failed");
  process.exitCode = 1;
} finally {
  await sequelize.close();
}
