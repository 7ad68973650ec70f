import { DataTypes, Model } from "sequelize";

/** Defines the User model (table `users`) on a Sequelize instance. */
export function defineUser(sequelize) {
  class User extends Model {
    /** The public view of a user: never the password hash. */
    toJSON() {
      const { id, email, name, created_at, updated_at } = this.get();
      return { id, email, name, created_at, updated_at };
    }
  }
  User.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      email: { type: DataTypes.STRING(255), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(255), allowNull: true },
      password_hash: { type: DataTypes.STRING(255), allowNull: false },
      // Milliseconds kept, as in the migrations (MySQL would round to the second).
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    {
      sequelize,
      modelName: "User",
      tableName: "users",
      createdAt: "created_at",
      updatedAt: "updated_at",
    },
  );
  return User;
}
