/**
 * `chroma-mod vet` in-process (see test/cli/cli-help.test.ts): the example bundles, invalid values and version
 * gates, and bad input of every kind (missing or broken bundle files, bad flags, bad --set, issue 15's hostile
 * keys and values): exit 1, one paragraph, no stack trace, nothing echoed or polluted.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { cli, examples } from "../fixtures/cli.ts";

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
