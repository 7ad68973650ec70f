import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DataTypes } from "sequelize";
import { SequelizeStorage, Umzug } from "umzug";

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** An Umzug migrator over src/migrations/*.js, recording runs in the SequelizeMeta table. */
export function createMigrator(sequelize, logger = undefined) {
  return new Umzug({
    migrations: {
      glob: ["*.js", { cwd: migrationsDir }],
      resolve: ({ name, path: file, context }) => {
        const load = () => import(pathToFileURL(file).href);
        return {
          name,
          up: async () => (await load()).up({ context }),
          down: async () => (await load()).down({ context }),
        };
      },
    },
    context: { queryInterface: sequelize.getQueryInterface(), DataTypes },
    storage: new SequelizeStorage({ sequelize }),
    logger,
  });
}
