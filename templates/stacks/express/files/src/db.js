import { Sequelize } from "sequelize";

/** Creates the Sequelize instance for the configured database. */
export function createSequelize(config, logger) {
  const options = {
    logging: logger && config.logLevel === "trace" ? (sql) => logger.trace({ sql }, "sql") : false,
    define: { underscored: true },
  };
  if (config.database.url) {
    return new Sequelize(config.database.url, {
      ...options,
      pool: { max: 10, min: 0, idle: 10_000 },
    });
  }
  return new Sequelize({ ...options, dialect: "sqlite", storage: config.database.storage });
}
