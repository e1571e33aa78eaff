/**
 * `npm test`'s summary (scripts/test.mjs, scripts/tap-summary.mjs): the last line is exactly `N passed, N failed`,
 * skipped and todo tests count as failed, a run in which no test ran fails, and the exit code says the same. The
 * counting runs on TAP text as tap prints it; then scripts/test.mjs itself runs, copied into a project of its own
 * (a tap run clears the .tap/ folder of its project, which holds the coverage of the suite this test is part of),
 * on the test files in test/fixtures/tap/ and with a stand-in for scripts/setup.sh.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import t, { type Test } from "tap";
import { checkStep, summary, tapReader, tapStep } from "../../scripts/tap-summary.mjs";
import { root } from "../fixtures/cli.ts";

const lastLine = /^\d+ passed, \d+ failed$/;

/** TAP output of one run as tap prints it with --reporter=tap: the test files' blocks, then its summary comment. */
const output = `TAP version 14
# Subtest: test/a.test.ts
    # Subtest: runs
        ok 1 - ran
        1..1
    ok 1 - runs # time=2.6ms

    ok 2 - a skipped subtest # SKIP not today
    # Subtest: inner
        ok 1 - later # SKIP
        1..1
    ok 3 - inner # time=0.8ms
    ok 4 - a todo # TODO
    1..4
ok 1 - test/a.test.ts # time=9.9ms

# Subtest: test/b.test.ts
    1..0 # no tests found
ok 2 - test/b.test.ts # SKIP no tests found

# { total: 5, pass: 1, skip: 3, todo: 1 }
# time=2041.1ms
`;

t.test("tapReader: the last summary comment and every test that did not run, with its file, across chunks", async (t) => {
  const reader = tapReader();
  for (let at = 0; at < output.length; at += 7) reader.write(output.slice(at, at + 7));
  t.same(reader.end(), {
    counts: { total: 5, pass: 1, fail: 0, skip: 3, todo: 1 },
    notRun: [
      "SKIP test/a.test.ts: a skipped subtest (not today)",
      "SKIP test/a.test.ts: later",
      "TODO test/a.test.ts: a todo",
      "SKIP test/b.test.ts (no tests found)",
    ],
    failures: [],
  });
  const unfinished = tapReader();
  unfinished.write("# { total: 3, pass: 1, fail: 2 }\n# { total: 2, pass: 2 }");
  t.same(unfinished.end().counts, { total: 2, pass: 2, fail: 0, skip: 0, todo: 0 }, "the last one, even without a newline");
  t.same(tapReader().end(), { counts: undefined, notRun: [], failures: [] });
});

t.test("tapReader names each innermost failed test with its path, so CI's last lines say what failed", async (t) => {
  const reader = tapReader();
  reader.write(`TAP version 14
# Subtest: test/a.test.ts
    # Subtest: group
        ok 1 - fine
        not ok 2 - the value is right
        not ok 3 - another
        not ok 4 - not yet # TODO
        1..4
    not ok 1 - group # time=3.2ms
    not ok 2 - top-level assertion
    1..2
not ok 1 - test/a.test.ts # time=10ms
# Subtest: test/b.test.ts
not ok 2 - test/b.test.ts # time=1ms
# { total: 6, pass: 1, fail: 4, todo: 1 }
`);
  const read = reader.end();
  t.same(
    read.failures,
    ["test/a.test.ts > group > the value is right", "test/a.test.ts > group > another", "test/a.test.ts > top-level assertion", "test/b.test.ts"],
    "a parent that failed because of its children is not named again; a file that failed on its own is",
  );
  const step = tapStep("tests", read, 1);
  t.same(step.notes.slice(-5), [
    "failed:",
    "  test/a.test.ts > group > the value is right",
    "  test/a.test.ts > group > another",
    "  test/a.test.ts > top-level assertion",
    "  test/b.test.ts",
  ]);
  const many = tapReader();
  many.write(`${Array.from({ length: 35 }, (_, i) => `not ok ${i + 1} - t${i}`).join("\n")}\n# { total: 35, fail: 35 }\n`);
  const notes = tapStep("many", many.end(), 1).notes;
  t.equal(notes.length, 32, "30 named, then how many more");
  t.equal(notes[31], "  … and 5 more");
});

t.test("tapStep: skipped and todo count as failed, no test is a failure, so is tap failing alone", async (t) => {
  const read = (counts: { total: number; pass?: number; fail?: number; skip?: number; todo?: number } | undefined, notRun: string[] = []) => ({
    counts: counts && { pass: 0, fail: 0, skip: 0, todo: 0, ...counts },
    notRun,
  });
  t.same(tapStep("p", read({ total: 3, pass: 3 }), 0), { label: "p", passed: 3, failed: 0, notes: [] });
  t.same(tapStep("p", read({ total: 4, pass: 2, fail: 2 }), 1), { label: "p", passed: 2, failed: 2, notes: [] });
  t.same(tapStep("p", read({ total: 4, pass: 1, skip: 2, todo: 1 }, ["SKIP a", "SKIP b", "TODO c"]), 0), {
    label: "p",
    passed: 1,
    failed: 3,
    notes: ["2 skipped and 1 todo, counted as failed (every test must run):", "  SKIP a", "  SKIP b", "  TODO c"],
  });
  t.same(tapStep("p", read({ total: 2, pass: 1, todo: 1 }, ["TODO c"]), 0).notes[0], "1 todo, counted as failed (every test must run):");
  t.same(tapStep("p", read({ total: 2, pass: 1, skip: 1 }, ["SKIP c"]), 0).notes[0], "1 skipped, counted as failed (every test must run):");
  t.same(tapStep("p", read(undefined), 1), { label: "p", passed: 0, failed: 1, notes: ["no test ran"] }, "tap found no test file");
  t.same(tapStep("p", read({ total: 0 }), 0), { label: "p", passed: 0, failed: 1, notes: ["no test ran"] });
  t.same(
    tapStep("p", read({ total: 5, pass: 5 }), 1),
    {
      label: "p",
      passed: 5,
      failed: 1,
      notes: ["tap exited with 1 although no test failed: see its output above"],
    },
    "e.g. coverage below 100%",
  );
  t.match(tapStep("p", read({ total: 5, pass: 5 }), null).notes[0], "tap exited with a signal");
});

t.test("summary: one line per step, then exactly `N passed, N failed` last; exit 1 when anything failed", async (t) => {
  const ok = summary([checkStep("tsc -p .", 0), tapStep("tests", { counts: { total: 7, pass: 7, fail: 0, skip: 0, todo: 0 }, notRun: [] }, 0)]);
  t.same(ok, { lines: ["tsc -p .: 1 passed, 0 failed", "tests: 7 passed, 0 failed", "8 passed, 0 failed"], code: 0 });
  const bad = summary([checkStep("tsc -p .", 2), tapStep("tests", { counts: { total: 7, pass: 6, fail: 0, skip: 1, todo: 0 }, notRun: ["SKIP x"] }, 0)]);
  t.same(bad.lines, [
    "tsc -p .: 0 passed, 1 failed",
    "  tsc -p . failed (exit 2): see its output above",
    "tests: 6 passed, 1 failed",
    "  1 skipped, counted as failed (every test must run):",
    "    SKIP x",
    "6 passed, 2 failed",
  ]);
  t.equal(bad.code, 1);
  t.same(
    bad.lines.filter((line) => lastLine.test(line)),
    ["6 passed, 2 failed"],
    "CI's pattern matches the last line only",
  );
  t.same(summary([checkStep("tsc -p .", null)]).lines.at(-1), "0 passed, 1 failed", "tsc killed by a signal");
  t.same(checkStep("knip", null).notes, ["knip failed (exit by a signal): see its output above"]);
});

/**
 * A project of its own around a copy of scripts/test.mjs: the files given, tap and tsc through a link to this
 * checkout's node_modules.
 */
function project(t: Test, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-npm-test-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  const all: Record<string, string> = {
    "package.json": JSON.stringify({ name: "npm-test-fixture", private: true, type: "module" }),
    ...Object.fromEntries(["test.mjs", "tap-summary.mjs"].map((file) => [`scripts/${file}`, readFileSync(join(root, "scripts", file), "utf8")])),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** `npm test [-- args]` in that project: its exit code, its output, and its last line. */
function npmTest(dir: string, ...args: string[]) {
  // tap's and ts-node's settings for this test's own process stay out of the run under test.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(_?TAP|TS_NODE_)/i.test(name)));
  const run = spawnSync("env", ["-u", "NODE_V8_COVERAGE", "-u", "NODE_OPTIONS", process.execPath, "scripts/test.mjs", ...args], {
    cwd: dir,
    env,
    encoding: "utf8",
  });
  return { code: run.status, stdout: run.stdout, last: run.stdout.trimEnd().split("\n").at(-1) };
}

const fixture = (name: string) => readFileSync(join(root, "test", "fixtures", "tap", name), "utf8");

t.test("npm test -- <path>: one tap run of that path, and its summary last", async (t) => {
  const dir = project(t, { "pass.ts": fixture("pass.ts"), "not-run.ts": fixture("not-run.ts"), "scripts/setup.sh": "echo setup ran\n" });

  const pass = npmTest(dir, "--disable-coverage", "pass.ts");
  t.equal(pass.last, "2 passed, 0 failed", "the last line", { stdout: pass.stdout });
  t.equal(pass.code, 0);
  t.match(pass.stdout, /^ok 1 - pass\.ts/m, "tap's output comes through");
  t.notMatch(pass.stdout, /^(setup ran|tsc -p)/m, "a path runs without setup and the whole-project checks");

  const notRun = npmTest(dir, "--disable-coverage", "not-run.ts");
  t.equal(notRun.last, "1 passed, 4 failed", "the last line", { stdout: notRun.stdout });
  t.equal(notRun.code, 1, "skipped and todo tests fail the run");
  t.match(
    notRun.stdout,
    [
      "tap --disable-coverage not-run.ts: 1 passed, 4 failed",
      "  2 skipped and 2 todo, counted as failed (every test must run):",
      "    SKIP not-run.ts: a skipped subtest (not today)",
      "    TODO not-run.ts: a todo subtest",
      "    SKIP not-run.ts: a skipped assertion",
      "    TODO not-run.ts: a todo assertion (some day)",
      "1 passed, 4 failed\n",
    ].join("\n"),
  );

  const none = npmTest(dir, "no-such-test.ts");
  t.equal(none.last, "0 passed, 1 failed", "the last line", { stdout: none.stdout });
  t.equal(none.code, 1, "no test ran: a failure");
  t.match(none.stdout, "  no test ran\n");
});

t.test("npm test: setup, the whole-project checks (tsc, biome, knip), then both tap passes, each a line of the summary", async (t) => {
  const dir = project(t, {
    "package.json": JSON.stringify({
      name: "npm-test-fixture",
      private: true,
      type: "module",
      tap: { "disable-coverage": true, include: ["test/**/*.test.ts"] },
    }),
    "tsconfig.json": JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: "ESNext", moduleResolution: "Bundler", target: "ES2022", skipLibCheck: true, types: ["node"] },
      include: ["test"],
    }),
    "biome.json": readFileSync(join(root, "biome.json"), "utf8"),
    "knip.json": JSON.stringify({ entry: ["test/**/*.ts"], project: ["test/**/*.ts"], ignoreDependencies: ["tap"] }),
    "scripts/setup.sh": "echo setup ran\n",
    "test/one.test.ts": fixture("pass.ts"),
    "test/chroma/two.test.ts": fixture("pass.ts"),
    "test/containers/three.test.ts": fixture("pass.ts"),
  });
  const clean = npmTest(dir);
  t.equal(clean.code, 0, "exit 0", { stdout: clean.stdout });
  t.match(
    clean.stdout,
    /^setup ran\ntsc -p \.\n(.|\n)*^biome ci --colors=off --error-on-warnings \.\n(.|\n)*^knip\n/m,
    "setup first, then the type check, lint and format, unused code",
  );
  t.match(
    clean.stdout,
    /^# Subtest: test\/one\.test\.ts$[\s\S]*^# Subtest: test\/chroma\/two\.test\.ts$[\s\S]*^# Subtest: test\/containers\/three\.test\.ts$/m,
    "test/chroma and test/containers in the second pass",
  );
  t.match(
    clean.stdout,
    "\ntsc -p .: 1 passed, 0 failed\nbiome ci --colors=off --error-on-warnings .: 1 passed, 0 failed\nknip: 1 passed, 0 failed\ntests but test/chroma and test/containers: 2 passed, 0 failed\ntest/chroma and test/containers, one file at a time: 4 passed, 0 failed\n9 passed, 0 failed\n",
  );

  writeFileSync(join(dir, "test", "wrong.ts"), 'export const n: number = "one";\n');
  const typeError = npmTest(dir);
  t.equal(typeError.code, 1, "a type error fails the run");
  t.match(typeError.stdout, "test/wrong.ts(1,14): error TS2322");
  t.match(typeError.stdout, /\ntsc -p \.: 0 passed, 1 failed\n {2}tsc -p \. failed \(exit \d\): see its output above\n/);
  t.equal(typeError.last, "8 passed, 1 failed", "the other checks and the tests still ran", { stdout: typeError.stdout });

  writeFileSync(join(dir, "test", "wrong.ts"), "export const n: number = 1\n");
  const unformatted = npmTest(dir);
  t.match(unformatted.stdout, /\nbiome ci --colors=off --error-on-warnings \.: 0 passed, 1 failed\n/, "a file Biome would format differently fails the run", {
    stdout: unformatted.stdout,
  });
  t.equal(unformatted.last, "8 passed, 1 failed");
  rmSync(join(dir, "test", "wrong.ts"));

  writeFileSync(join(dir, "scripts", "setup.sh"), "exit 3\n");
  const setup = npmTest(dir);
  t.equal(setup.code, 1);
  t.match(setup.stdout, /^setup failed: see the output above\n0 passed, 1 failed\n$/, "nothing else runs");
});
