import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { stateFile } from "./platform";

// Stops the platform this run started (by its pid) and drops its schema.
export default async function globalTeardown() {
  let state: { pid: number; schema: string };
  try {
    state = JSON.parse(readFileSync(stateFile, "utf8"));
  } catch {
    return;
  }
  try {
    process.kill(state.pid, "SIGTERM");
    for (let i = 0; i < 40; i++) {
      process.kill(state.pid, 0);
      await new Promise((r) => setTimeout(r, 250));
    }
    process.kill(state.pid, "SIGKILL");
  } catch {
    // gone
  }
  const db = process.env.FEEDBACK_DB;
  if (db && /^t_web_[0-9a-f]{6}$/.test(state.schema)) {
    const url = npgsqlToUri(db);
    try {
      execFileSync("psql", [url, "-q", "-c", `drop schema if exists "${state.schema}" cascade`], { stdio: "ignore" });
    } catch {
      // psql missing: the schema stays (tests' schemas are named t_*)
    }
  }
  rmSync(stateFile, { force: true });
}

function npgsqlToUri(connection: string): string {
  const parts = Object.fromEntries(
    connection.split(";").filter(Boolean).map((p) => {
      const [k, ...v] = p.split("=");
      return [k!.trim().toLowerCase(), v.join("=").trim()];
    }),
  );
  const user = encodeURIComponent(parts["username"] ?? parts["user id"] ?? "postgres");
  const password = parts["password"] ? `:${encodeURIComponent(parts["password"])}` : "";
  return `postgresql://${user}${password}@${parts["host"] ?? "127.0.0.1"}:${parts["port"] ?? "5432"}/${parts["database"] ?? "postgres"}`;
}
