/** The same CLI under real Deno (the `deno` npm package's binary): byte-identical output for every example bundle. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { cli, root, spawnCli } from "../fixtures/cli.ts";

const platformBinary = join(root, "node_modules", "@deno", `${process.platform}-${process.arch === "x64" ? "x64" : process.arch}-glibc`, "deno");
const deno = existsSync(platformBinary) ? platformBinary : join(root, "node_modules", ".bin", "deno");

function denoCli(args: string[]) {
  const result = spawnSync(deno, ["run", "--allow-all", "--no-lock", "cli/main.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const bundles = ["bundles/dev.config.ts", "bundles/prod.config.ts", "bundles/multi.config.ts"];

t.test("deno runs the CLI", async (t) => {
  const version = denoCli(["--version"]);
  t.equal(version.code, 0, version.stderr);
  t.equal(version.stdout, (await cli(["--version"])).stdout);
});

for (const bundle of bundles) {
  t.test(bundle, async (t) => {
    for (const args of [
      ["build", bundle],
      ["build", bundle, "-o", "json"],
      ["values", bundle],
      ["vet", bundle],
    ]) {
      const node = spawnCli(args);
      const viaDeno = denoCli(args);
      t.equal(viaDeno.code, node.code, `${args.join(" ")}: exit code`);
      t.ok(viaDeno.stdout === node.stdout, `${args.join(" ")}: byte-identical stdout (${node.stdout.length} bytes)`);
    }
  });
}

t.test("errors are the same under deno", async (t) => {
  for (const args of [
    ["vet", "test/fixtures/invalid.config.ts"],
    ["vet", "test/fixtures/throws.config.ts"],
    ["vet", "nope.config.ts"],
  ]) {
    const node = spawnCli(args);
    const viaDeno = denoCli(args);
    t.equal(viaDeno.code, node.code);
    t.match(viaDeno.stderr, node.stderr.split("\n")[0]!, args.join(" "));
  }
});

t.test("schema is the same under deno", async (t) => {
  t.ok(denoCli(["schema"]).stdout === spawnCli(["schema"]).stdout);
});

t.test("hostile bundles under deno: stopped, located, stdout kept clean", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma mod deno "));
  writeFileSync(join(dir, "loop.config.ts"), "while (true) {}\nexport default {};\n");
  writeFileSync(join(dir, "log.config.ts"), 'console.log("hello");\nprocess.stdout.write("raw\\n");\nexport default { instances: { a: {} } };\n');
  writeFileSync(
    join(dir, "throws.config.ts"),
    "function size(): string {\n  throw new Error('no size');\n}\nexport default { instances: { a: { values: { chromadb: { dataVolumeSize: size() } } } } };\n",
  );
  const loop = denoCli(["vet", join(dir, "loop.config.ts"), "--eval-timeout", "2s"]);
  t.equal(loop.code, 1);
  t.match(loop.stderr, `error: ${join(dir, "loop.config.ts")} did not finish evaluating within 2s`);
  const log = denoCli(["build", join(dir, "log.config.ts")]);
  t.equal(log.code, 0);
  t.match(log.stdout, /^---\napiVersion: /, "what the bundle prints goes to stderr");
  t.match(log.stderr, "hello");
  t.match(denoCli(["vet", join(dir, "throws.config.ts")]).stderr, `error: ${join(dir, "throws.config.ts")}:2:`, "its own line, in a path with spaces");
});
