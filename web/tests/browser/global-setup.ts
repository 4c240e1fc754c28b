import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, writeFileSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { stateFile, signingKey, repositoryRoot, resultsDir } from "./platform";

// Starts one platform process (the Debug build, as ops/test.sh builds it) on its own schema for the whole run;
// every test then makes its own organization in it.
async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

export default async function globalSetup() {
  const db = process.env.FEEDBACK_DB;
  if (!db) throw new Error("FEEDBACK_DB is not set: give the PostgreSQL connection string (ops/postgres.sh prints one).");
  const bin = resolve(repositoryRoot, "src/FeedbackPlatform/bin/Debug/net10.0");
  if (!existsSync(resolve(bin, "FeedbackPlatform.dll"))) throw new Error(`No Debug build in ${bin}: run dotnet build FeedbackPlatform.sln first.`);
  const webRoot = resolve(repositoryRoot, "web/dist");
  if (!existsSync(resolve(webRoot, "index.html"))) throw new Error("web/dist is not built: run npm run build in web/ first.");

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const schema = `t_web_${randomBytes(3).toString("hex")}`;
  const logs = resultsDir;
  mkdirSync(logs, { recursive: true });
  const child = spawn("dotnet", ["FeedbackPlatform.dll"], {
    cwd: bin,
    env: {
      ...process.env,
      FEEDBACK_DB: db,
      FEEDBACK_SCHEMA: schema,
      FEEDBACK_URLS: url,
      FEEDBACK_PUBLIC_URL: url,
      FEEDBACK_WEB_ROOT: webRoot,
      ASPNETCORE_ENVIRONMENT: "Development",
      Auth__SigningKey: signingKey,
      Auth__SignInsPerMinute: "200",
      Logging__LogLevel__Default: "Warning",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: false,
  });
  writeFileSync(stateFile, JSON.stringify({ pid: child.pid, url, schema }));

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The platform exited with ${child.exitCode} before it was ready.`);
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.ok) {
        process.env.PLATFORM_URL = url;
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill("SIGKILL");
  throw new Error("The platform did not become ready within 120 s.");
}
