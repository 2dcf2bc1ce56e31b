/** `npm run bench`: every benchmark in one run, each printed as a ratio or count. */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const benches = ["cli.ts", "spec.ts", "api-client.ts", "backend.ts", "ownership.ts", "browser.ts"];
let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  try {
    execFileSync(process.execPath, ["--import", "tsx", path.join(HERE, bench)], { stdio: "inherit", env: { ...process.env, NODE_OPTIONS: "" } });
  } catch {
    failed++;
    console.log(`${bench} failed`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
