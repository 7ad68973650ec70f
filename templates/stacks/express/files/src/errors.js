/**
 * An error with an HTTP status and a stable machine-readable code. Every error
 * response has the same shape: {"error": {"code", "message", "details"}}.
 */
export class HttpError extends Error {
  constructor(status, code, message, details = null) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (message, details) => new HttpError(400, "bad_request", message, details);
export const unauthorized = (message = "Authentication required") =>
  new HttpError(401, "unauthorized", message);
export const forbidden = (message = "Not allowed") => new HttpError(403, "forbidden", message);
export const notFound = (message = "Not found") => new HttpError(404, "not_found", message);
export const conflict = (message, details) => new HttpError(409, "conflict", message, details);
export const validationError = (details, message = "Request validation failed") =>
  new HttpError(422, "validation_error", message, details);

/** The JSON body for an error. */
export function errorBody(code, message, details = null) {
  return { error: { code, message, details } };
}
