import { unauthorized } from "../errors.js";

/** Requires `Authorization: Bearer <token>` and puts the user on req.user. */
export function authenticate({ auth, models }) {
  return async (req, _res, next) => {
    const [scheme, token] = (req.get("authorization") ?? "").split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token) {
      return next(unauthorized("Missing bearer token"));
    }
    let userId;
    try {
      userId = auth.verifyToken(token);
    } catch {
      return next(unauthorized("Invalid or expired token"));
    }
    const user = await models.User.findByPk(userId);
    if (!user) return next(unauthorized("Invalid or expired token"));
    req.user = user;
    next();
  };
}
