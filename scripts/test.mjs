#!/usr/bin/env node
// `npm test`: set up everything the tests need (system packages, the local control plane's binaries, Chroma
// virtualenvs — all cached under ~/.cache/chroma-mod), then run the whole tap suite and end with the plain
// `N passed, N failed` line CI reads.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const setupOnly = process.argv.includes("--setup-only");

const setup = spawnSync("bash", ["scripts/setup.sh"], { cwd: root, stdio: "inherit" });
if (setup.status !== 0) {
  console.log("setup failed: see the output above");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
if (setupOnly) process.exit(0);

const args = ["tap", "--reporter=tap", ...process.argv.slice(2)];
const child = spawn("npx", args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
let tail = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on("close", (code) => {
  // tap's final summary comment: `# { total: 12, pass: 11, fail: 1, skip: 0 }`
  const summaries = [...tail.matchAll(/^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?[^}]*\}$/gm)];
  const last = summaries[summaries.length - 1];
  const passed = Number(last?.[2] ?? 0);
  let failed = Number(last?.[3] ?? 0);
  if (code !== 0 && failed === 0) failed = 1; // e.g. coverage below the threshold, or tap itself failed
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code ?? 1);
});
