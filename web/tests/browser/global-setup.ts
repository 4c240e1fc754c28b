import { writeFileSync, mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { stateFile, resultsDir, startPlatform } from "./platform";

// Starts one platform process (the Debug build, as ops/test.sh builds it) on its own schema for the whole run;
// every test then makes its own organization in it.
export default async function globalSetup() {
  const schema = `t_web_${randomBytes(3).toString("hex")}`;
  mkdirSync(resultsDir, { recursive: true });
  const platform = await startPlatform(schema);
  writeFileSync(stateFile, JSON.stringify({ pid: platform.pid, url: platform.url, schema }));
  process.env.PLATFORM_URL = platform.url;
}
