import { createMigrator } from "../src/migrator.js";
import { createTestContext } from "./helpers.js";

let ctx;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const PRIMARY_KEY = "primary key";

// A model changed without a migration (or the other way round) fails here:
// every column of every model, with whether it accepts NULL.
test("the migrations build the columns of every model", async () => {
  const queryInterface = ctx.sequelize.getQueryInterface();
  for (const model of Object.values(ctx.models)) {
    const expected = Object.fromEntries(
      Object.values(model.getAttributes()).map((attribute) => [
        attribute.field,
        attribute.primaryKey ? PRIMARY_KEY : attribute.allowNull !== false,
      ]),
    );
    const table = await queryInterface.describeTable(model.getTableName());
    const migrated = Object.fromEntries(
      Object.entries(table).map(([name, column]) => [name, column.primaryKey ? PRIMARY_KEY : column.allowNull]),
    );
    expect({ model: model.name, columns: migrated }).toEqual({ model: model.name, columns: expected });
  }
});

test("the migrations can be undone and applied again", async () => {
  const migrator = createMigrator(ctx.sequelize);
  await migrator.down({ to: 0 });
  expect(await migrator.executed()).toEqual([]);
  await migrator.up();
  expect(await migrator.pending()).toEqual([]);
});
