import { notFound, validationError } from "../errors.js";

/** Zod issues as [{path, message}], the `details` of a validation error. */
export function issueDetails(issues, location) {
  return issues.map((issue) => ({
    path: [location, ...issue.path].join("."),
    message: issue.message,
  }));
}

/**
 * Validates req.params / req.query / req.body against zod schemas and puts the
 * parsed values on req.valid (Express 5 makes req.query read-only). A path
 * parameter that is not a valid id names no record: 404, before the body is read.
 */
export function validate(schemas) {
  return (req, _res, next) => {
    req.valid = {};
    const details = [];
    for (const [location, schema] of Object.entries(schemas)) {
      const result = schema.safeParse(req[location] ?? {});
      if (result.success) req.valid[location] = result.data;
      else if (location === "params") return next(notFound(`No record at ${req.originalUrl.split("?")[0]}`));
      else details.push(...issueDetails(result.error.issues, location));
    }
    if (details.length > 0) return next(validationError(details));
    next();
  };
}
