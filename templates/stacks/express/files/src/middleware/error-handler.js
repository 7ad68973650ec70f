import { errorBody, HttpError, notFound } from "../errors.js";

/** 404 for every route nobody answered. */
export function notFoundHandler(req, _res, next) {
  next(notFound(`No route for ${req.method} ${req.path}`));
}

const STATUS_CODES = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "validation_error",
  429: "rate_limited",
};

/** Turns every error into {"error": {"code", "message", "details"}}. */
export function errorHandler(err, req, res, _next) {
  let status = 500;
  let code = "internal_error";
  let message = "Internal server error";
  let details = null;

  if (err instanceof HttpError) {
    ({ status, code, message, details } = err);
  } else if (err?.name === "SequelizeUniqueConstraintError") {
    status = 409;
    code = "conflict";
    message = "A record with these values already exists";
    details = err.errors?.map((e) => ({ path: e.path, message: e.message })) ?? null;
  } else if (err?.type === "entity.parse.failed") {
    status = 400;
    code = "bad_request";
    message = "Malformed JSON in request body";
  } else if (Number.isInteger(err?.status ?? err?.statusCode)) {
    // Errors from Express and its middleware (body-parser, http-errors...).
    status = err.status ?? err.statusCode;
    if (status < 500) {
      code = STATUS_CODES[status] ?? "client_error";
      message = err.expose === false ? "Request error" : err.message;
    }
  }

  if (status >= 500) {
    (req.log ?? console).error({ err }, "unhandled error");
  }
  if (res.headersSent) return;
  res.status(status).json(errorBody(code, message, details));
}
