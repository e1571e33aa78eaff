#!/usr/bin/env node
// `npm test`: set up everything the tests need (system packages, the local control plane's binaries, Chroma
// virtualenvs — all cached under ~/.cache/chroma-mod), then run the whole tap suite in two passes and end with the
// plain `N passed, N failed` line CI reads:
//   1. everything but the real-Chroma matrix, two files at a time, with coverage (tap's default: 100% of the
//      product's sources, scoped by test/fixtures/coverage-map.mjs);
//   2. the real-Chroma matrix (test/chroma/), one version at a time: each file runs several Chroma servers and an
//      nginx, and two of them side by side on 2 cores made timing-sensitive checks flaky. Its coverage of the
//      product is already part of pass 1, so pass 2 does not measure it again.
// Extra arguments replace both passes by one tap run of those arguments (e.g. `npm test -- test/unit`).
import { spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const extra = process.argv.slice(2);

const setup = spawnSync("bash", ["scripts/setup.sh"], { cwd: root, stdio: "inherit" });
if (setup.status !== 0) {
  console.log("setup failed: see the output above");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

function tap(args) {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tap", "--reporter=tap", ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
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
      resolve({ code: code ?? 1, passed, failed });
    });
  });
}

const chromaTests = readdirSync(new URL("../test/chroma/", import.meta.url)).filter((f) => f.endsWith(".test.ts")).map((f) => `test/chroma/${f}`);
const passes = extra.length > 0 ? [extra] : [["--exclude=test/chroma/**"], ["--disable-coverage", "--jobs=1", ...chromaTests]];
let passed = 0;
let failed = 0;
let code = 0;
for (const args of passes) {
  const result = await tap(args);
  passed += result.passed;
  failed += result.failed;
  code ||= result.code;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);
