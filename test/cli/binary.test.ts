/**
 * The real binary, bin/chroma-mod.js in a child process: the same output and exit codes as `main`, a bundle's own
 * output kept off stdout, --eval-timeout. Each run starts a Node process, so these stay out of `npm run test:unit`
 * (test/cli/cli-*.test.ts cover the same commands in-process); `npm test` runs them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import pkg from "../../package.json" with { type: "json" };
import { cli, root, spawnCli } from "../fixtures/cli.ts";

t.test("the real binary: same output, exit codes, no stack traces", async (t) => {
  t.same(spawnCli(["--version"]), { code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  const built = spawnCli(["build", "bundles/multi.config.ts"]);
  t.equal(built.code, 0);
  t.equal(built.stdout, (await cli(["build", "bundles/multi.config.ts"])).stdout, "the bundled binary renders what main renders");
  const bad = spawnCli(["vet", "test/fixtures/invalid.config.ts"]);
  t.equal(bad.code, 1);
  t.match(bad.stderr, /^error: test\/fixtures\/invalid\.config\.ts: 5 invalid values:\n/);
  t.notMatch(bad.stderr, /\n\s+at /);
  t.equal(spawnCli([]).code, 1);
});

t.test("a bundle's own output never mixes into the manifests", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-log-"));
  writeFileSync(join(dir, "log.config.ts"), 'console.log("hello from the bundle");\nexport default { instances: { a: {} } };\n');
  const inProcess = await cli(["build", join(dir, "log.config.ts")]);
  t.match(inProcess.stderr, /^hello from the bundle\nnote: /, "through the CLI's own stderr, before its notes");
  const run = spawnCli(["build", join(dir, "log.config.ts")]);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /^---\napiVersion: /);
  t.notMatch(run.stdout, "hello");
  t.match(run.stderr, "hello from the bundle");
});

t.test("--eval-timeout stops a bundle that never finishes, in the real binary too", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-loop-"));
  writeFileSync(join(dir, "loop.config.ts"), "while (true) {}\nexport default {};\n");
  t.equal((await cli(["vet", join(root, "bundles/dev.config.ts"), "--eval-timeout", "30"], { cwd: dir })).code, 0, "plain seconds");
  const inProcess = await cli(["vet", "loop.config.ts", "--eval-timeout", "1s"], { cwd: dir });
  t.equal(inProcess.code, 1);
  t.match(inProcess.stderr, /^error: loop\.config\.ts did not finish evaluating within 1s: /);
  const binary = spawnCli(["build", "loop.config.ts", "--eval-timeout", "1s"], { cwd: dir });
  t.equal(binary.code, 1);
  t.match(binary.stderr, /^error: loop\.config\.ts did not finish evaluating within 1s: /);
});
