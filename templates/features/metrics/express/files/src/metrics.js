import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/**
 * Prometheus metrics (prom-client) on a registry of the app's own: the
 * default Node.js process metrics, plus the count and the latency of HTTP
 * requests by method, route and status code. `middleware` measures every
 * request; `handler` serves the text format at GET /metrics.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const labelNames = ["method", "route", "status_code"];
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by method, route and status code",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time to answer an HTTP request, in seconds, by method, route and status code",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  function middleware(req, res, next) {
    if (req.path === "/metrics") return next();
    const stop = duration.startTimer();
    const route = trackRoute(req);
    res.on("finish", () => {
      const labels = { method: req.method, route: route() ?? "unmatched", status_code: String(res.statusCode) };
      stop(labels);
      requests.inc(labels);
    });
    next();
  }

  async function handler(_req, res) {
    res.set("Content-Type", registry.contentType).send(await registry.metrics());
  }

  return { registry, middleware, handler };
}

/**
 * Notes the full pattern of the route that takes the request ("/items/:id"),
 * never the raw URL: one time series per route, not one per id. It is read
 * when Express sets req.route, as Express restores req.baseUrl (the mount
 * path) when an error leaves a router. Returns a getter; undefined when no
 * route matched.
 */
function trackRoute(req) {
  let route;
  let pattern;
  Object.defineProperty(req, "route", {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value) {
      route = value;
      if (value?.path != null) pattern = value.path === "/" && req.baseUrl ? req.baseUrl : `${req.baseUrl}${value.path}`;
    },
  });
  return () => pattern;
}
