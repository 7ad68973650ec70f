import { Router } from "express";
import { HttpError } from "../errors.js";

/** /health/live: the process answers. /health/ready: it can reach its database. */
export function healthRouter({ sequelize }) {
  const router = Router();

  router.get("/live", (_req, res) => {
    res.json({ status: "ok" });
  });

  router.get("/ready", async (req, res) => {
    try {
      await sequelize.query("SELECT 1");
    } catch (err) {
      req.log.warn({ err }, "readiness check failed");
      throw new HttpError(503, "not_ready", "Database is unreachable", [{ path: "database", message: "unreachable" }]);
    }
    res.json({ status: "ok", checks: { database: "ok" } });
  });

  return router;
}
