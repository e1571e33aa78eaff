#!/usr/bin/env node
// `npm test`: set up everything the tests need (system packages, the local control plane's binaries, Chroma
// virtualenvs — all cached under ~/.cache/chroma-mod), then run every check in three steps:
//   1. the whole-project checks, each counting as one test: the type check, `tsc -p .` (bundles and tests included,
//      so `@ts-expect-error` lines are real); lint and format, `biome ci .` (biome.json); unused files, exports
//      and dependencies, `knip` (knip.json);
//   2. everything but the real-Chroma matrix, two files at a time, with coverage (tap's default: 100% of the
//      product's sources, scoped by test/fixtures/coverage-map.mjs);
//   3. the real-Chroma matrix (test/chroma/) and the same pods as real containers (test/containers/), one file at a
//      time: each file runs several Chroma servers and an nginx, and two of them side by side on 2 cores made
//      timing-sensitive checks flaky. Their coverage of the product is already part of step 2, so step 3 does not
//      measure it again.
// It ends with one line per step and, last, the plain `N passed, N failed` line CI reads. Skipped and todo tests count
// as failed (each is named above the total), and so does a step in which no test ran: see scripts/tap-summary.mjs.
// The exit code is 0 only when nothing failed.
// Extra arguments are one tap run of those arguments, without setup and type check, with the same summary:
// `npm test -- test/unit/loader.test.ts`, `npm test -- --disable-coverage test/cli` (tap measures coverage by
// default, and a part of the suite alone may not cover all of the product files it loads).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkStep, summary, tapReader, tapStep } from "./tap-summary.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const extra = process.argv.slice(2);

if (extra.length === 0) {
  const setup = spawnSync("bash", ["scripts/setup.sh"], { cwd: root, stdio: "inherit" });
  if (setup.status !== 0) {
    console.log("setup failed: see the output above");
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
}

/** One tap run; its TAP output goes through as it comes and is read for the summary. */
function tap(label, args) {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tap", "--reporter=tap", ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    const reader = tapReader();
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      reader.write(chunk);
    });
    child.on("close", (code) => resolve(tapStep(label, reader.end(), code)));
  });
}

/** The whole-project checks, each one step: types, then lint and format (Biome), then unused code (knip). */
const checks = ["tsc -p .", "biome ci --colors=off --error-on-warnings .", "knip"];

const steps = [];
if (extra.length > 0) {
  steps.push(await tap(`tap ${extra.join(" ")}`, extra));
} else {
  for (const command of checks) {
    console.log(command);
    const [program, ...args] = command.split(" ");
    steps.push(checkStep(command, spawnSync("npx", [program, ...args], { cwd: root, stdio: "inherit" }).status));
  }
  const serverTests = ["chroma", "containers"]
    .filter((dir) => existsSync(new URL(`../test/${dir}/`, import.meta.url)))
    .flatMap((dir) =>
      readdirSync(new URL(`../test/${dir}/`, import.meta.url))
        .filter((f) => f.endsWith(".test.ts"))
        .map((f) => `test/${dir}/${f}`),
    );
  steps.push(await tap("tests but test/chroma and test/containers", ["--exclude=test/chroma/**", "--exclude=test/containers/**"]));
  steps.push(await tap("test/chroma and test/containers, one file at a time", ["--disable-coverage", "--jobs=1", ...serverTests]));
}
const { lines, code } = summary(steps);
for (const line of lines) console.log(line);
process.exit(code);
