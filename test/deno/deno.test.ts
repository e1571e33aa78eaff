/** The same CLI under real Deno (the `deno` npm package's binary): byte-identical output for every example bundle. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { cli, root, spawnCli } from "../fixtures/cli.ts";

const platformBinary = join(root, "node_modules", "@deno", `${process.platform}-${process.arch === "x64" ? "x64" : process.arch}-glibc`, "deno");
const deno = existsSync(platformBinary) ? platformBinary : join(root, "node_modules", ".bin", "deno");

function denoCli(args: string[]) {
  const result = spawnSync(deno, ["run", "--allow-all", "--no-lock", "cli/main.ts", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
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
    for (const args of [["build", bundle], ["build", bundle, "-o", "json"], ["values", bundle], ["vet", bundle]]) {
      const node = spawnCli(args);
      const viaDeno = denoCli(args);
      t.equal(viaDeno.code, node.code, `${args.join(" ")}: exit code`);
      t.ok(viaDeno.stdout === node.stdout, `${args.join(" ")}: byte-identical stdout (${node.stdout.length} bytes)`);
    }
  });
}

t.test("errors are the same under deno", async (t) => {
  for (const args of [["vet", "test/fixtures/invalid.config.ts"], ["vet", "test/fixtures/throws.config.ts"], ["vet", "nope.config.ts"]]) {
    const node = spawnCli(args);
    const viaDeno = denoCli(args);
    t.equal(viaDeno.code, node.code);
    t.match(viaDeno.stderr, node.stderr.split("\n")[0]!, args.join(" "));
  }
});

t.test("schema is the same under deno", async (t) => {
  t.ok(denoCli(["schema"]).stdout === spawnCli(["schema"]).stdout);
});
