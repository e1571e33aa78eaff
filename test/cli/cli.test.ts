/**
 * The CLI as users run it, through the same `main` the binary runs, in-process: its output, its exit codes, its
 * errors. The real binary in a child process: test/cli/binary.test.ts.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { parseAllDocuments } from "yaml";
import pkg from "../../package.json" with { type: "json" };
import { commands, main } from "../../cli/cli.ts";
import { UserError } from "../../engine/errors.ts";
import { manifestName, writeOutputDir } from "../../engine/output-dir.ts";
import { fileNameFor } from "../../engine/serialize.ts";
import { interruptHandler } from "../../cli/commands/apply.ts";
import { cli, root } from "../fixtures/cli.ts";

const examples = ["bundles/dev.config.ts", "bundles/prod.config.ts", "bundles/multi.config.ts"];

t.test("--version, --help, and help per command", async (t) => {
  t.same(await cli(["--version"]), { code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  const help = await cli(["--help"]);
  t.equal(help.code, 0);
  for (const name of ["init", "vet", "build", "values", "schema"]) t.match(help.stdout, new RegExp(`\\n  ${name}\\s`));
  t.equal((await cli([])).code, 1, "no command: usage, exit 1");
  const usages: Record<string, string> = {
    vet: "chroma-mod vet <bundle.config.ts> [--set <instance>.<path>=<value>]... [--eval-timeout 30s]",
    build: "chroma-mod build <bundle.config.ts> [-o yaml|json] [--output-dir DIR] [--instance NAME]... [--generate-secrets] [--set …]",
    values: "chroma-mod values <bundle.config.ts> [--instance NAME]... [-o yaml|json] [--set …]",
    schema: "chroma-mod schema [--bundle]",
    init: "chroma-mod init [dir | file.config.ts] [--force]",
  };
  for (const [name, usage] of Object.entries(usages)) {
    const run = await cli([name, "--help"]);
    t.equal(run.code, 0);
    t.match(run.stdout, `Usage: ${usage}\n`, `${name} usage is stable`);
    t.match(run.stdout, /Examples:\n {2}chroma-mod /);
    t.equal((await cli(["help", name])).stdout, run.stdout);
  }
});

t.test("vet", async (t) => {
  for (const file of examples) {
    const run = await cli(["vet", file]);
    t.equal(run.code, 0, file);
    t.match(run.stdout, `${file}: valid.`);
  }
  const bad = await cli(["vet", "test/fixtures/invalid.config.ts"]);
  t.equal(bad.code, 1);
  t.equal(bad.stdout, "");
  t.match(bad.stderr, "error: test/fixtures/invalid.config.ts: 5 invalid values:\n");
  t.match(bad.stderr, '  vectors.values.chromadb.alowReset: unknown key; did you mean "allowReset"?\n');
  t.match(
    bad.stderr,
    '  vectors.values.chromadb.auth.type: expected "token" | "basic", got a string of 4 characters (not shown: values under auth are never printed)\n',
  );
  t.match(bad.stderr, '  vectors.values.replicas: expected number, got "2"\n');
  t.match(
    bad.stderr,
    "  legacy.values.chromadb.auth.type: token auth needs Chroma >= 0.4.8",
    "version gates are checked together with the schema, on the instances that parsed",
  );
  t.notMatch(bad.stderr, / {4}at /, "no stack trace");
  const gates = await cli([
    "vet",
    "test/fixtures/invalid.config.ts",
    "--set",
    "vectors.chromadb.alowReset=",
    "--set",
    "vectors.replicas=1",
    "--set",
    "vectors.chromadb.auth.type=token",
  ]);
  t.match(gates.stderr, "unknown key", "--set cannot delete a key: the typo stays");
  const fixed = await cli(["vet", "bundles/dev.config.ts", "--set", "dev.chromadb.apiVersion=0.4.6"]);
  t.equal(fixed.code, 1);
  t.match(fixed.stderr, "dev.values.chromadb.auth.type: token auth needs Chroma >= 0.4.8, but chromadb.apiVersion is 0.4.6");
  t.match((await cli(["vet", "bundles/dev.config.ts", "--set", "dev.replicas=2"])).stderr, "dev.values.replicas: 2 replicas with persistence");
});

t.test("bad input: one paragraph, exit 1, no stack trace", async (t) => {
  const cases: [string[], RegExp][] = [
    [["vet", "nope.config.ts"], /^error: nope\.config\.ts: no such file\.\nhint: /],
    [
      ["vet", "test/fixtures/syntax.config.ts"],
      /^error: test\/fixtures\/syntax\.config\.ts could not be compiled:\n {2}test\/fixtures\/syntax\.config\.ts:7:0?\d?:? ?|^error: test\/fixtures\/syntax\.config\.ts could not be compiled:\n {2}test\/fixtures\/syntax\.config\.ts:\d+:\d+: /,
    ],
    [
      ["vet", "test/fixtures/throws.config.ts"],
      /^error: test\/fixtures\/throws\.config\.ts:4:\d+: the bundle threw while evaluating: unknown environment staging\n/,
    ],
    [
      ["vet", "test/fixtures/no-default.config.ts"],
      /^error: test\/fixtures\/no-default\.config\.ts has no default export\.\nhint: End the file with `export default defineBundle/,
    ],
    [
      ["vet", "test/fixtures/import-missing.config.ts"],
      /^error: test\/fixtures\/import-missing\.config\.ts imports a file or package that does not exist:\n {2}test\/fixtures\/import-missing\.config\.ts:2:\d+: Could not resolve "\.\/does-not-exist\.ts"/,
    ],
    [["vet"], /^error: vet: missing the bundle file\.\nhint: Usage: chroma-mod vet /],
    [
      ["vet", "bundles/dev.config.ts", "--set", "nosuch.chromadb.allowReset=true"],
      /^error: --set nosuch\.chromadb\.allowReset: the bundle has no instance "nosuch"\.\nhint: Known instances: dev\./,
    ],
    [["vet", "bundles/dev.config.ts", "--set", "dev=1"], /^error: --set dev=…: expected <instance>\.<value path>=<value>\./],
    [["vet", "bundles/dev.config.ts", "--bogus"], /^error: vet: Unknown option '--bogus'/],
    [["build", "bundles/dev.config.ts", "-o", "xml"], /^error: build: unknown output format "xml"\.\nhint: Use one of: yaml, json\./],
    [["build", "bundles/dev.config.ts", "--instance", "nope"], /^error: --instance nope: no such instance in the bundle\.\nhint: Known instances: dev\./],
    [["frobnicate"], /^error: unknown command "frobnicate"\./],
    [["vet", "bundles"], /^error: bundles is a directory, not a bundle file\.\nhint: Name the bundle file, e\.g\. bundles\//],
    [["vet", "bundles/dev.config.ts", "--eval-timeout", "soon"], /^error: --eval-timeout soon: not a duration\./],
    [
      ["vet", "bundles/dev.config.ts", "--set", "dev.chromadb.auth=sk-live-0123456789"],
      /^error: bundles\/dev\.config\.ts: 1 invalid value:\n {2}dev\.values\.chromadb\.auth: expected Object, got a string of 18 characters/,
    ],
    [["vet", "bundles/dev.config.ts", "--set", "sk-live-0123456789"], /^error: --set: an argument without "="/],
    [["init", "README.md"], /^error: init: README\.md is a file; init takes a directory/],
    [["init", "mod.ts"], /^error: mod\.ts already exists; not overwriting it\./],
    [["build", "bundles/dev.config.ts", "--output-dir", "README.md"], /\nerror: --output-dir README\.md: exists and is not a directory\./],
  ];
  for (const [args, pattern] of cases) {
    const run = await cli(args);
    t.equal(run.code, 1, args.join(" "));
    t.match(run.stderr, pattern, args.join(" "));
    t.notMatch(run.stderr, /\n\s+at /, "no stack trace");
    t.notMatch(run.stderr, "sk-live", "a value given to --set is never echoed");
  }
});

t.test("build: YAML, JSON, byte-stable, one file per object", async (t) => {
  for (const file of examples) {
    const first = await cli(["build", file]);
    t.equal(first.code, 0);
    t.equal((await cli(["build", file])).stdout, first.stdout, `${file}: byte-stable`);
    const docs = parseAllDocuments(first.stdout).map((d) => d.toJS());
    t.ok(
      docs.every((d) => d.apiVersion && d.kind && d.metadata.name),
      "every document is an object",
    );
    t.notMatch(first.stdout, /&a\d|\*a\d/, "no YAML anchors (kubectl and GitOps tools read plain YAML)");
    t.notMatch(first.stdout, /kind: Secret/, "no invented credentials");
    const json = JSON.parse((await cli(["build", file, "-o", "json"])).stdout);
    t.equal(json.kind, "List");
    t.same(json.items, docs, "JSON and YAML carry the same objects");
  }
  const dev = await cli(["build", "bundles/dev.config.ts"]);
  t.match(dev.stderr, "note: Secret chroma-dev/dev-auth is not in the output");
  const kinds = parseAllDocuments(dev.stdout).map((d) => d.toJS().kind);
  t.same(
    kinds,
    ["Namespace", "ConfigMap", "ServiceAccount", "StatefulSet", "Service"],
    "apply order: namespace (createNamespace), config, workloads, the rest",
  );
  const withSecrets = await cli(["build", "bundles/dev.config.ts", "--generate-secrets"]);
  t.match(withSecrets.stderr, "warning: the output contains newly generated credentials");
  const secret = parseAllDocuments(withSecrets.stdout)
    .map((d) => d.toJS())
    .find((d) => d.kind === "Secret");
  t.match(Buffer.from(secret.data.token, "base64").toString(), /^[A-Za-z0-9]{32}$/);
  const multi = parseAllDocuments((await cli(["build", "bundles/multi.config.ts", "--instance", "legacy", "--generate-secrets"])).stdout).map((d) => d.toJS());
  t.ok(
    multi.every((d) => d.metadata.name.startsWith("legacy")),
    "--instance selects",
  );
  const basic = multi.find((d) => d.kind === "Secret");
  const decoded = Object.fromEntries(Object.entries(basic.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
  t.equal(decoded.username, "reader");
  t.match(decoded.htpasswd, /^reader:\$2[aby]\$10\$/);

  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-out-"));
  const out = await cli(["build", "bundles/multi.config.ts", "--output-dir", dir]);
  t.equal(out.code, 0);
  const files = readdirSync(dir)
    .filter((name) => name !== manifestName)
    .sort();
  t.ok(files.includes("team-docs.statefulset.docs.yaml"));
  t.equal(files.length, parseAllDocuments((await cli(["build", "bundles/multi.config.ts"])).stdout).length);
  t.match(readFileSync(join(dir, "team-docs.statefulset.docs.yaml"), "utf8"), /^---\napiVersion: apps\/v1\nkind: StatefulSet\n/);
  const jsonDir = mkdtempSync(join(tmpdir(), "chroma-mod-out-"));
  await cli(["build", "bundles/dev.config.ts", "--output-dir", jsonDir, "-o", "json"]);
  t.same(readdirSync(jsonDir).sort(), [
    ".chroma-mod-files",
    "_cluster.namespace.chroma-dev.json",
    "chroma-dev.configmap.dev-config.json",
    "chroma-dev.service.dev.json",
    "chroma-dev.serviceaccount.dev.json",
    "chroma-dev.statefulset.dev.json",
  ]);
});

t.test("--set overrides", async (t) => {
  const run = await cli([
    "build",
    "bundles/dev.config.ts",
    "--set",
    "dev.chromadb.apiVersion=0.5.23",
    "--set",
    "dev.chromadb.corsAllowOrigins=[https://a.example]",
    "--set",
    "dev.newtop.x=1",
  ]);
  t.equal(run.code, 1, "an unknown key set by --set is reported like any other");
  t.match(run.stderr, "dev.values.newtop: unknown key");
  const ok = await cli([
    "values",
    "bundles/dev.config.ts",
    "-o",
    "json",
    "--set",
    "dev.chromadb.apiVersion=0.5.23",
    "--set",
    "dev.chromadb.corsAllowOrigins=[https://a.example]",
    "--set",
    "dev.service.annotations.x=[unclosed",
  ]);
  const values = JSON.parse(ok.stdout).dev.values;
  t.equal(values.chromadb.apiVersion, "0.5.23");
  t.same(values.chromadb.corsAllowOrigins, ["https://a.example"]);
  t.same(values.service.annotations, { x: "[unclosed" }, "a value YAML cannot parse is kept as a string");
});

t.test("values and schema", async (t) => {
  const yaml = await cli(["values", "bundles/prod.config.ts"]);
  t.equal(yaml.code, 0);
  t.match(yaml.stdout, /^vectors:\n {2}namespace: search\n {2}values:\n {4}chromadb:\n {6}apiVersion: 1\.5\.9\n/);
  t.match(yaml.stdout, "allowReset: false", "defaults included");
  const schema = JSON.parse((await cli(["schema"])).stdout);
  t.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
  t.equal(schema.properties.chromadb.properties.auth.properties.type.default, "token");
  t.equal(schema.additionalProperties, false);
  const bundle = JSON.parse((await cli(["schema", "--bundle"])).stdout);
  t.ok(bundle.properties.instances);
});

t.test("init scaffolds a bundle that vets and builds", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-init-"));
  const run = await cli(["init", dir]);
  t.equal(run.code, 0);
  const file = join(dir, "chroma.config.ts");
  t.match(readFileSync(file, "utf8"), /import \{ defineBundle \} from "chroma-mod";/);
  t.equal((await cli(["vet", file])).code, 0);
  t.equal((await cli(["build", file])).code, 0);
  const again = await cli(["init", dir]);
  t.equal(again.code, 1);
  t.match(again.stderr, "already exists; not overwriting it.");
  writeFileSync(file, "changed");
  t.equal((await cli(["init", dir, "--force"])).code, 0);
  t.match(readFileSync(file, "utf8"), /defineBundle/);
  const here = mkdtempSync(join(tmpdir(), "chroma-mod-init-"));
  t.match((await cli(["init"], { cwd: here })).stdout, "wrote chroma.config.ts\n");
  const named = await cli(["init", "deploy/prod.config.ts"], { cwd: here });
  t.match(named.stdout, "wrote deploy/prod.config.ts\n", "a .ts path names the file");
  t.equal((await cli(["vet", "deploy/prod.config.ts"], { cwd: here })).code, 0);
  mkdirSync(join(here, "odd.ts"));
  t.match((await cli(["init", "odd.ts"], { cwd: here })).stdout, "wrote odd.ts/chroma.config.ts\n", "a directory named .ts is a directory");
});

t.test("an unexpected error: internal error, exit 70, the stack only with --debug", async (t) => {
  const io = (sink: string[]) => ({
    stdout: () => {
      throw new TypeError("stdout closed");
    },
    stderr: (text: string) => void sink.push(text),
    cwd: root,
  });
  const plain: string[] = [];
  t.equal(await main(["--version"], io(plain)), 70);
  t.equal(plain.join(""), "internal error: stdout closed\nRun again with --debug for the stack trace, and report it as a bug.\n");
  const debug: string[] = [];
  t.equal(await main(["--version", "--debug"], io(debug)), 70);
  t.match(debug.join(""), /^internal error: stdout closed\nTypeError: stdout closed\n\s+at /);
  const text: string[] = [];
  const throwsText = {
    stdout: () => {
      throw "not an Error";
    },
    stderr: (s: string) => void text.push(s),
    cwd: root,
  };
  t.equal(await main(["--debug", "--version"], throwsText), 70);
  t.match(text.join(""), /^internal error: not an Error\nRun again with --debug/);
});

t.test("Ctrl-C: first stops between requests, second quits", async (t) => {
  const controller = new AbortController();
  const lines: string[] = [];
  const exits: number[] = [];
  const handler = interruptHandler(
    controller,
    (line) => lines.push(line),
    (code) => void exits.push(code),
  );
  handler();
  t.ok(controller.signal.aborted);
  t.match(lines[0], /^interrupted: stopping after the requests in flight/);
  t.same(exits, []);
  handler();
  t.same(exits, [130]);
});

t.test("every command's --help prints every flag with what it does", async (t) => {
  for (const command of commands) {
    const help = (await cli([command.name, "--help"])).stdout;
    for (const [name, option] of Object.entries(command.options)) {
      const line = help.split("\n").find((l) => l.startsWith(`  ${option.short === undefined ? "" : `-${option.short}, `}--${name} `) || l === `  --${name}`);
      t.ok(line, `${command.name} --help lists --${name}`);
      t.match(line, new RegExp(`--${name}(?: <value>)?\\s{2,}[A-Za-z(]`), `${command.name} --${name} has a description`);
    }
    t.notMatch(help, "undefined", `${command.name}: no option without a description`);
  }
  const apply = (await cli(["apply", "--help"])).stdout;
  t.match(apply, /--timeout <value>\s+How long to wait for readiness \(default 5m\)/);
  t.match(apply, /--set <value>\s+Override a value: .* \(repeatable\)/);
  t.match((await cli(["init", "--help"])).stdout, /--force\s+Overwrite an existing bundle file/, "a command's own meaning of a flag");
});

t.test("build --output-dir: safe names, Secrets 0600, no stale files", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-out-"));
  const out = join(dir, "manifests");
  writeFileSync(join(dir, "keep.yaml"), "not ours\n");
  const first = await cli(["build", "bundles/dev.config.ts", "--output-dir", out, "--generate-secrets"]);
  t.equal(first.code, 0, first.stderr);
  const secret = readdirSync(out).find((name) => name.includes(".secret."))!;
  t.equal(statSync(join(out, secret)).mode & 0o777, 0o600, "the credentials file is private");
  t.equal(statSync(join(out, "chroma-dev.service.dev.yaml")).mode & 0o077, statSync(join(dir, "keep.yaml")).mode & 0o077, "other files as the umask says");
  t.match(readFileSync(join(out, manifestName), "utf8"), secret);
  writeFileSync(join(out, "mine.yaml"), "a file of the user's\n");
  const second = await cli(["build", "bundles/dev.config.ts", "--output-dir", out]);
  t.equal(second.code, 0);
  t.notOk(readdirSync(out).includes(secret), "an object that left the output is removed");
  t.ok(readdirSync(out).includes("mine.yaml"), "files chroma-mod did not write are left alone");
  t.match(second.stderr, `removed 1 it wrote before that the bundle no longer renders: ${secret}`);
  const multi = join(dir, "multi");
  t.equal((await cli(["build", "bundles/multi.config.ts", "--output-dir", multi])).code, 0);
  const all = readdirSync(multi);
  const legacy = await cli(["build", "bundles/multi.config.ts", "--output-dir", multi, "--instance", "legacy", "--set", "legacy.serviceAccount.create=false"]);
  t.match(legacy.stderr, /removed 1 it wrote before that the bundle no longer renders: [a-z-]+\.serviceaccount\.legacy\.yaml\n/);
  t.same(
    readdirSync(multi),
    all.filter((name) => !/serviceaccount\.legacy\./.test(name)),
    "--instance removes only the selected instance's stale files",
  );
  t.match(readFileSync(join(multi, manifestName), "utf8"), /\.statefulset\.docs\.yaml\tdocs\n/, "the others stay listed");
  const json = await cli(["build", "bundles/dev.config.ts", "--output-dir", out, "-o", "json"]);
  t.equal(json.code, 0);
  t.same(
    readdirSync(out).filter((name) => name.endsWith(".yaml")),
    ["mine.yaml"],
    "switching to JSON removes the YAML files",
  );
  // A symlink where a file goes is replaced, never written through.
  const target = join(dir, "target.txt");
  writeFileSync(target, "outside\n");
  rmSync(join(out, "chroma-dev.service.dev.json"));
  symlinkSync(target, join(out, "chroma-dev.service.dev.json"));
  t.equal((await cli(["build", "bundles/dev.config.ts", "--output-dir", out, "-o", "json"])).code, 0);
  t.equal(readFileSync(target, "utf8"), "outside\n");
  t.notOk(lstatSync(join(out, "chroma-dev.service.dev.json")).isSymbolicLink());
  rmSync(join(out, "chroma-dev.configmap.dev-config.json"));
  symlinkSync(join(dir, "nowhere"), join(out, "chroma-dev.configmap.dev-config.json"));
  t.equal((await cli(["build", "bundles/dev.config.ts", "--output-dir", out, "-o", "json"])).code, 0, "a dangling symlink too");
  t.notOk(existsSync(join(dir, "nowhere")));
});

t.test("output files: names are never paths, unwritable dirs are user errors", async (t) => {
  const object = (name: string, kind = "ConfigMap") => ({ apiVersion: "v1", kind, metadata: { name, namespace: "n" } });
  t.equal(fileNameFor(object("../../../../x")), "n.configmap._._.._.._.._x.yaml", "no slash, no leading dot");
  t.equal(fileNameFor(object("..")), "n.configmap._..yaml");
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-out-"));
  const file = (name: string) => ({ name, content: "x\n", secret: false, owner: "" });
  t.throws(() => writeOutputDir(dir, "d", [file("a.yaml"), file("a.yaml")]), {
    message: /cannot write two objects, or an object named "a\.yaml", as one file/,
  });
  t.throws(() => writeOutputDir(dir, "d", [file("../a.yaml")]), { message: /an object named "\.\.\/a\.yaml"/ });
  writeFileSync(join(dir, manifestName), "# comment\n../../etc/passwd\nold.yaml\n");
  t.same(writeOutputDir(dir, "d", [file("a.yaml")]).removed, [], "manifest lines that are not bare names are ignored, missing files too");
  const notDir = t.throws(() => writeOutputDir(join(dir, "a.yaml", "x"), "x", [file("b.yaml")])) as unknown as UserError;
  t.type(notDir, UserError);
  t.match(notDir.message, /^--output-dir x: could not write .*: ENOTDIR: not a directory/);
});

t.test("init: unwritable places are user errors", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-init-"));
  writeFileSync(join(dir, "file"), "x");
  const under = await cli(["init", join(dir, "file", "sub")]);
  t.equal(under.code, 1);
  t.match(under.stderr, /^error: init: could not write .*chroma\.config\.ts: ENOTDIR/);
});

t.test("issue 15's hostile inputs, as a user types them: exit 1, one paragraph, nothing lost or polluted", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-hostile-"));
  const write = (name: string, code: string) => {
    writeFileSync(join(dir, name), code);
    return join(dir, name);
  };
  const cases: [string[], RegExp][] = [
    [["vet", "bundles/prod.config.ts", "--set", "__proto__.x=1"], /^error: --set __proto__\.x: the key "__proto__" cannot be used/],
    [["vet", "bundles/prod.config.ts", "--set", "vectors.__proto__.x=1"], /^error: --set vectors\.__proto__\.x: the key "__proto__" cannot be used/],
    [["vet", "bundles/prod.config.ts", "--set", "constructor.prototype.x=1"], /^error: --set constructor\.prototype\.x: the key "constructor" cannot be used/],
    [["vet", "bundles/prod.config.ts", "--set", "toString.replicas=2"], /^error: --set toString\.replicas: the bundle has no instance "toString"\./],
    [["vet", "bundles/prod.config.ts", "--set", "vectors.chromadb.apiVersion=1.10"], /vectors\.values\.chromadb\.apiVersion: .*"1\.10"/],
    [
      ["vet", write("names.config.ts", "export default { instances: { vectors: {}, prototype: {}, constructor: {} } };\n")],
      /^error: .*names\.config\.ts: 2 invalid values:\n {2}prototype: the key "prototype" cannot be used.*\n {2}constructor: /,
    ],
    [
      ["vet", write("selector.config.ts", 'export default { instances: { vectors: { values: { nodeSelector: { prototype: "true" } } } } };\n')],
      /\n {2}vectors\.values\.nodeSelector\.prototype: the key "prototype" cannot be used/,
    ],
    [
      [
        "build",
        write(
          "values.config.ts",
          "const c: any = {}; c.c = c;\nexport default { instances: { v: { values: { labels: { f: () => 1, n: 1n, c, get g() { throw new Error('x'); } } } } } };\n",
        ),
      ],
      /\n {2}v\.values\.labels\.f: a function is not a value.*\n {2}v\.values\.labels\.n: a BigInt.*\n {2}v\.values\.labels\.c\.c: a circular reference.*\n {2}v\.values\.labels\.g: reading it threw: x\n/,
    ],
  ];
  for (const [args, pattern] of cases) {
    const run = await cli(args);
    t.equal(run.code, 1, args.join(" "));
    t.match(run.stderr, pattern, args.join(" "));
    t.notMatch(run.stderr, /internal error|\n\s+at /, "no internal error, no stack trace");
  }
  t.equal(({} as Record<string, unknown>).x, undefined, "Object.prototype is untouched");
  const indexed = JSON.parse(
    (
      await cli([
        "values",
        "bundles/prod.config.ts",
        "-o",
        "json",
        "--set",
        "vectors.values.extraEnv.0={name: FOO, value: bar}",
        "--set",
        "vectors.extraEnv.0.name=BAZ",
      ])
    ).stdout,
  );
  t.same(indexed.vectors.values.extraEnv[0], { name: "BAZ", value: "bar" }, "--set indexes a list, in either path form");
});
