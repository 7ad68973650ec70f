/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  testMatch: ["<rootDir>/tests/**/*.test.js"],
  transform: {},
  // Every test file gets its own in-memory SQLite database; a real server
  // (DATABASE_URL set) is shared, so the files then run one at a time.
  maxWorkers: process.env.DATABASE_URL ? 1 : "50%",
  collectCoverageFrom: ["src/**/*.js"],
};
