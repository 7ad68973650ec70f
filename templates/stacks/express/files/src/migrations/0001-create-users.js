// Migrations run in file-name order (src/migrator.js). `context` holds the
// Sequelize QueryInterface and DataTypes. Add a new file for every change to a
// model; never edit a migration that has run somewhere else. Timestamps keep
// milliseconds (DATE(3)): MySQL would otherwise round them to the second.

export async function up({ context: { queryInterface, DataTypes } }) {
  await queryInterface.createTable("users", {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
    email: { type: DataTypes.STRING(255), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(255), allowNull: true },
    password_hash: { type: DataTypes.STRING(255), allowNull: false },
    created_at: { type: DataTypes.DATE(3), allowNull: false },
    updated_at: { type: DataTypes.DATE(3), allowNull: false },
  });
}

export async function down({ context: { queryInterface } }) {
  await queryInterface.dropTable("users");
}
