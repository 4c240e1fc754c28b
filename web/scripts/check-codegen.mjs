// Fails when src/generated is not what GraphQL Code Generator makes now from ../schema.graphql and the
// operations: regenerates into a temporary directory and compares file by file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const committed = "src/generated";
const fresh = mkdtempSync(join(tmpdir(), "fp-codegen-"));
try {
  execFileSync(process.execPath, ["node_modules/@graphql-codegen/cli/cjs/bin.js", "--config", "codegen.ts", "--silent"], {
    env: { ...process.env, GENERATED_DIR: fresh + "/" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const names = new Set([...readdirSync(committed), ...readdirSync(fresh)]);
  const stale = [...names].filter((name) => {
    try {
      return readFileSync(join(committed, name), "utf8") !== readFileSync(join(fresh, name), "utf8");
    } catch {
      return true;
    }
  });
  if (stale.length > 0) {
    console.error(`check-codegen: src/generated is stale (${stale.join(", ")}): run npm run codegen and commit the result.`);
    process.exit(1);
  }
  console.log("check-codegen: src/generated matches ../schema.graphql and the operations.");
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
