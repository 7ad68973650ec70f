import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs src/server.js with extra environment variables; resolves with its exit. */
function startServer(env) {
  const child = spawn(process.execPath, ["src/server.js"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
  return { child, exited, output: () => output };
}

async function waitFor(check, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("a bad setting stops the server at once, naming it", async () => {
  const { code, output } = await startServer({ PORT: "http", NODE_ENV: "staging" }).exited;
  expect(code).toBe(1);
  expect(output).toContain("Invalid configuration");
  expect(output).toMatch(/PORT/);
  expect(output).toMatch(/NODE_ENV/);
});

test("the server answers, then shuts down cleanly on SIGTERM", async () => {
  // Migrated on start: /health/ready answers 503 while a migration is pending.
  const server = startServer({ RUN_MIGRATIONS: "true" });
  try {
    await waitFor(() => server.output().includes("listening on"));
    const port = JSON.parse(server.output().split("\n").find((line) => line.includes("listening on"))).port;
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(res.status).toBe(200);
    server.child.kill("SIGTERM");
    const { code, output } = await server.exited;
    expect(code).toBe(0);
    expect(output).toContain("shutdown complete");
  } finally {
    server.child.kill("SIGKILL");
  }
});
