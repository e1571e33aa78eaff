/**
 * The package as users get it: `npm pack` (which builds dist/ at prepack), the tarball installed into a fresh
 * project beside the TypeScript we use, a bundle type-checked there with a standard NodeNext + strict tsconfig (no
 * skipLibCheck: the package's own declarations are checked too), and the installed CLI run on it: the same bytes
 * as the checkout's CLI, without tsx, without writing to its install folder. Needs the npm registry (the
 * dependencies install from it, from npm's cache when they are there).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import t, { type Test } from "tap";
import pkg from "../../package.json" with { type: "json" };
import { cli, root } from "../fixtures/cli.ts";

const typescript = (JSON.parse(readFileSync(join(root, "node_modules", "typescript", "package.json"), "utf8")) as { version: string }).version;

/** A child without tap's coverage settings (they would corrupt its coverage, and npm's children inherit them). */
function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync("env", ["-u", "NODE_V8_COVERAGE", "-u", "NODE_OPTIONS", command, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
}

/** Asserts a child exited with `code`; its output only when it did not. */
function exited(t: Test, child: SpawnSyncReturns<string>, code: number, what: string): void {
  if (!t.equal(child.status, code, `${what}: exit ${code}`)) t.comment(`${child.stdout}\n${child.stderr}`);
}

/** Every file under dir with its size and mtime: what a run must leave as it was. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      const stat = statSync(path);
      return `${relative(dir, path)} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

const work = mkdtempSync(join(tmpdir(), "chroma-mod-pack-"));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const project = join(work, "project");

t.test("npm pack ships the built package, not the sources or the tests", async (t) => {
  const packed = run("npm", ["pack", "--json", "--pack-destination", work], root);
  exited(t, packed, 0, "npm pack");
  // The prepack build's own lines come before npm's JSON on stdout.
  const [tarball] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[/m))) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  const files = tarball!.files.map((file) => file.path);
  t.comment(`${tarball!.filename}: ${tarball!.size} bytes packed, ${tarball!.unpackedSize} unpacked, ${files.length} files`);
  for (const file of [
    "bin/chroma-mod.js",
    "dist/cli/main.js",
    "dist/mod.js",
    "dist/settle.js",
    "dist/mod.d.ts",
    "localcluster/build.sh",
    "localcluster/go/kube/go.mod",
    "docs/values.md",
    "README.md",
    "CHANGELOG.md",
  ]) {
    t.ok(files.includes(file), `ships ${file}`);
  }
  t.same(
    files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts")),
    [],
    "no TypeScript sources",
  );
  t.same(
    files.filter((file) => /^(test|bench|scripts|bundles|dist\/dev)\//.test(file)),
    [],
    "no tests, scripts or a checkout's dev bundles",
  );

  mkdirSync(project);
  const init = run("npm", ["init", "-y"], project);
  exited(t, init, 0, "npm init -y");
  const installed = run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, tarball!.filename), `typescript@${typescript}`], project);
  exited(t, installed, 0, "npm install <tarball> typescript");
  t.notOk(existsSync(join(project, "node_modules", "tsx")), "tsx is not installed with the package");
});

t.test("a bundle type-checks against the package; a typo is a type error naming the key", async (t) => {
  const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
  const compilerOptions = { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true };
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions }, null, 2));
  copyFileSync(join(root, "bundles", "prod.config.ts"), join(project, "chroma.config.ts"));
  const clean = run(process.execPath, [tsc, "-p", ".", "--pretty", "false"], project);
  exited(t, clean, 0, "tsc -p . (the bundle and the package's declarations)");
  t.equal(clean.stdout, "", "no diagnostics");
  writeFileSync(
    join(project, "typo.config.ts"),
    'import { defineBundle } from "chroma-mod";\nexport default defineBundle({ instances: { a: { values: { chromadb: { alowReset: true } } } } });\n',
  );
  // As `tsc --init` writes it (skipLibCheck), which is also how an editor checks the open file: the bundles are
  // checked before, not after, the package's declarations.
  writeFileSync(
    join(project, "tsconfig.typo.json"),
    JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { skipLibCheck: true }, files: ["chroma.config.ts", "typo.config.ts"] }),
  );
  const typo = run(process.execPath, [tsc, "-p", "tsconfig.typo.json", "--pretty", "false"], project);
  exited(t, typo, 2, "tsc with skipLibCheck, with typo.config.ts");
  const errors = typo.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
  t.equal(errors.length, 1, "one error");
  t.match(errors[0], /^typo\.config\.ts\(2,\d+\): error TS\d+: .*'alowReset' does not exist/, "in typo.config.ts, naming the misspelt key");
});

t.test("the installed CLI runs the bundle as the checkout does, writing nothing into the package", async (t) => {
  const bin = join(project, "node_modules", ".bin", "chroma-mod");
  const installed = join(project, "node_modules", "chroma-mod");
  const before = listing(installed);
  const version = run(bin, ["--version"], project);
  exited(t, version, 0, "chroma-mod --version");
  t.equal(version.stdout, `${pkg.version}\n`);
  const vet = run(bin, ["vet", "chroma.config.ts"], project);
  exited(t, vet, 0, "chroma-mod vet chroma.config.ts");
  t.match(vet.stdout, /^chroma\.config\.ts: valid\./);
  const built = run(bin, ["build", "chroma.config.ts"], project);
  exited(t, built, 0, "chroma-mod build chroma.config.ts");
  const checkout = await cli(["build", "chroma.config.ts"], { cwd: project });
  t.ok(built.stdout === checkout.stdout && built.stdout.startsWith("---\napiVersion: "), `build prints the checkout's bytes (${built.stdout.length})`);
  const bad = run(bin, ["vet", "typo.config.ts"], project);
  exited(t, bad, 1, "chroma-mod vet typo.config.ts");
  t.match(bad.stderr, /alowReset/, "vet names the misspelt key");
  t.same(listing(installed), before, "node_modules/chroma-mod is as installed");
});
