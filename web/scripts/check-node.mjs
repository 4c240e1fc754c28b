// Whether this Node.js is recent enough for the web app's toolchain: the ">=X.Y[.Z]" of package.json's
// "engines" (Vite 8 needs 20.19). Exits 1 with one line saying so otherwise; ops/test.sh and ops/bench.sh call it
// before npm ci, so an old Node (Debian 12 ships 18) is named as the reason instead of failing somewhere in the build.
// Plain JavaScript that old Node versions run.
import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const wanted = manifest.engines && manifest.engines.node;
const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(wanted || "");
if (!match) {
  console.error(`web/package.json's engines.node is not of the form ">=X.Y": ${JSON.stringify(wanted)}`);
  process.exit(1);
}
const need = match.slice(1).map((part) => Number(part || 0));
const have = process.versions.node.split(".").map(Number);
const first = need.findIndex((n, i) => have[i] !== n);
if (first >= 0 && have[first] < need[first]) {
  console.error(`Node.js ${process.versions.node} is older than the web app needs (${wanted}, web/package.json): install Node.js ${need.join(".")} or later (Debian 12's nodejs is 18; NodeSource or Debian 13 have newer ones).`);
  process.exit(1);
}
