import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { BundleLoadError, ValidationError } from "../../engine/errors.ts";
import { formatDuration, loadBundleFile, userFrame } from "../../engine/loader.ts";
import { packageEntry } from "../../cli/app.ts";
import { root } from "../fixtures/cli.ts";

const options = { aliases: { "chroma-mod": packageEntry }, cwd: root };

/** Runs `f` with environment variable `name` (read on each call, as os.tmpdir() and the cache dir read theirs) set to `value`. */
async function withEnv<T>(name: string, value: string, f: () => Promise<T> | T): Promise<T> {
  const saved = process.env[name];
  process.env[name] = value;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}
const withTmpdir = <T>(dir: string, f: () => Promise<T>) => withEnv("TMPDIR", dir, f);
const withCache = <T>(dir: string, f: () => Promise<T> | T) => withEnv("CHROMA_MOD_CACHE", dir, f);

async function loadError(file: string, cwd = root): Promise<BundleLoadError> {
  try {
    await loadBundleFile(file, { ...options, cwd });
  } catch (error) {
    return error as BundleLoadError;
  }
  throw new Error(`${file} loaded`);
}

t.test("loads a bundle with local imports and the chroma-mod alias, leaving no temp file", async (t) => {
  const temp = mkdtempSync(join(tmpdir(), "chroma-mod-private-"));
  const bundle = (await withTmpdir(temp, () => loadBundleFile("bundles/multi.config.ts", options))) as { instances: Record<string, unknown> };
  t.same(Object.keys(bundle.instances), ["docs", "recs", "legacy"]);
  t.same(readdirSync(temp), [], "the compiled bundle's temp dir is removed");
  t.ok(await loadBundleFile(join(root, "bundles/dev.config.ts"), { aliases: options.aliases }), "absolute path, default cwd");
});

t.test("errors name the file, line and column", async (t) => {
  const missing = await loadError("nope.config.ts");
  t.type(missing, BundleLoadError);
  t.equal(missing.message, "nope.config.ts: no such file.");
  t.match(
    (await loadError("test/fixtures/syntax.config.ts")).message,
    /^test\/fixtures\/syntax\.config\.ts could not be compiled:\n {2}test\/fixtures\/syntax\.config\.ts:\d+:\d+: /,
  );
  const thrown = await loadError("test/fixtures/throws.config.ts");
  t.match(thrown.message, /^test\/fixtures\/throws\.config\.ts:4:\d+: the bundle threw while evaluating: unknown environment staging$/);
  t.match((await loadError("test/fixtures/no-default.config.ts")).message, "has no default export");
  const outside = await loadError(join(root, "test/fixtures/throws.config.ts"), mkdtempSync(join(tmpdir(), "chroma-mod-elsewhere-")));
  t.match(outside.message, `${join(root, "test/fixtures/throws.config.ts")}:4:`, "files outside cwd keep their absolute path");
});

t.test("a thrown non-Error and a throw without a user frame", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-loader-"));
  writeFileSync(join(dir, "string.config.ts"), 'throw "plain string";\nexport default {};\n');
  const plain = await loadError("string.config.ts", dir);
  t.equal(plain.message, "string.config.ts: the bundle threw while evaluating: plain string");
  writeFileSync(join(dir, "json.config.ts"), 'export default JSON.parse("{");\n');
  t.match((await loadError("json.config.ts", dir)).message, /^json\.config\.ts:1:\d+: the bundle threw while evaluating: /);
  const lib = join(root, "test", "fixtures", "library-throws.config.ts");
  t.match(
    (await loadError(lib)).message,
    /^test\/fixtures\/library-throws\.config\.ts:5:\d+: the bundle threw while evaluating: /,
    "an error inside a library points at the bundle's line that called it",
  );
});

/** A bundle written into a fresh temp dir (optionally with a space in its path), returned with that dir. */
function bundleFile(name: string, code: string, dirName = "chroma-mod-loader-"): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), dirName));
  writeFileSync(join(dir, name), code);
  return { dir, file: name };
}

t.test("a bundle is plain data: every other value is named with its path", async (t) => {
  const { dir, file } = bundleFile(
    "hostile.config.ts",
    [
      "const circular: any = { a: 1 };",
      "circular.self = circular;",
      "const getter = { get boom(): string { throw new Error('no value'); } };",
      "export default {",
      "  instances: {",
      "    vectors: { values: { labels: { fn: () => 1, big: 10n, sym: Symbol('s'), date: new Date(0), circular, getter } } },",
      "    prototype: { values: {} },",
      "    constructor: { values: {} },",
      "  },",
      "};",
    ].join("\n"),
  );
  const error = (await loadError(file, dir)) as unknown as ValidationError;
  t.type(error, ValidationError);
  t.same(
    error.issues.map((i) => i.path),
    [
      "vectors.values.labels.fn",
      "vectors.values.labels.big",
      "vectors.values.labels.sym",
      "vectors.values.labels.date",
      "vectors.values.labels.circular.self",
      "vectors.values.labels.getter.boom",
      "prototype",
      "constructor",
    ],
  );
  t.match(error.message, /^hostile\.config\.ts: 8 invalid values:\n {2}vectors\.values\.labels\.fn: a function is not a value/);
  t.match(error.message, '  prototype: the key "prototype" cannot be used');
  t.match(error.hint, /^A bundle is plain data/);
  const fn = bundleFile("fn.config.ts", "export default () => ({ instances: {} });\n");
  t.match((await loadError(fn.file, fn.dir)).message, "(the default export): the default export is a function");
});

t.test("an async default export is awaited", async (t) => {
  const { dir, file } = bundleFile(
    "async.config.ts",
    "const later = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport default (async () => { await later(10); return { instances: { a: {} } }; })();\n",
  );
  t.same(await loadBundleFile(file, { ...options, cwd: dir }), { instances: { a: {} } });
});

t.test("a bundle that never finishes is stopped, and the error names it", async (t) => {
  // The loops run into the time limit; the others end on their own (the limit is only a safety net there).
  const cases: [string, string, number, RegExp][] = [
    ["loop.config.ts", "while (true) {}\nexport default {};\n", 500, /^loop\.config\.ts did not finish evaluating within 500ms: /],
    ["getter.config.ts", "export default { get instances() { for (;;) {} } };\n", 500, /^getter\.config\.ts did not finish evaluating within 500ms/],
    [
      "pending.config.ts",
      "setInterval(() => {}, 1000);\nexport default new Promise(() => {});\n",
      500,
      /^pending\.config\.ts did not finish evaluating within 500ms/,
    ],
    [
      "tla.config.ts",
      "await new Promise(() => {});\nexport default {};\n",
      60_000,
      /^tla\.config\.ts stopped before its default export was ready \(it waits on a promise that never settles/,
    ],
    [
      "exit.config.ts",
      "process.exit(3);\nexport default {};\n",
      60_000,
      /^exit\.config\.ts stopped before its default export was ready \(it called process\.exit\(3\)\)/,
    ],
  ];
  for (const [name, code, timeoutMs, pattern] of cases) {
    const { dir, file } = bundleFile(name, code);
    const started = Date.now();
    let error: BundleLoadError | undefined;
    await loadBundleFile(file, { ...options, cwd: dir, timeoutMs }).catch((e: BundleLoadError) => {
      error = e;
    });
    t.type(error, BundleLoadError, name);
    t.match(error!.message, pattern, name);
    t.ok(Date.now() - started < 10_000, `${name}: stopped in time`);
  }
  const hungry = bundleFile("hungry.config.ts", "const list: string[] = [];\nwhile (true) list.push('x'.repeat(1e5) + list.length);\nexport default {};\n");
  const memory = await loadBundleFile(hungry.file, { ...options, cwd: hungry.dir, heapMb: 32 }).catch((e: BundleLoadError) => e);
  t.equal(
    (memory as BundleLoadError).message,
    "hungry.config.ts used more than 32 MB of memory while evaluating and was stopped.",
    "a heap of its own: the CLI survives",
  );
  const timeout = bundleFile("loop.config.ts", "while (true) {}\nexport default {};\n");
  const error = await loadBundleFile(timeout.file, { ...options, cwd: timeout.dir, timeoutMs: 1000 }).catch((e: BundleLoadError) => e);
  t.match((error as BundleLoadError).hint, "--eval-timeout 4s");
  const open = bundleFile("interval.config.ts", "setInterval(() => {}, 1000);\nexport default { instances: { a: {} } };\n");
  t.same(
    await loadBundleFile(open.file, { ...options, cwd: open.dir }),
    { instances: { a: {} } },
    "an open timer after the export is no hang: the worker is stopped",
  );
});

t.test("what a bundle prints comes back in order, never on stdout", async (t) => {
  const { dir, file } = bundleFile(
    "prints.config.ts",
    'console.log("one");\nconsole.table([{ a: 1 }]);\nprocess.stdout.write(new TextEncoder().encode("two\\n"));\nprocess.stderr.write("three\\n");\nexport default { instances: {} };\n',
  );
  let output = "";
  t.same(
    await loadBundleFile(file, {
      ...options,
      cwd: dir,
      onOutput: (text) => {
        output += text;
      },
    }),
    { instances: {} },
  );
  t.match(output, /^one\n┌.*\(index\).*\ntwo\nthree\n$/s);
  const looping = bundleFile("looping.config.ts", 'console.log("before the loop");\nwhile (true) {}\nexport default {};\n');
  let seen = "";
  await loadBundleFile(looping.file, {
    ...options,
    cwd: looping.dir,
    timeoutMs: 1000,
    onOutput: (text) => {
      seen += text;
    },
  }).catch(() => undefined);
  t.equal(seen, "before the loop\n", "printed before a hang: still shown");
  const quiet = bundleFile("stderr.config.ts", 'console.error("to the test\'s stderr");\nexport default { instances: {} };\n');
  t.same(await loadBundleFile(quiet.file, { ...options, cwd: quiet.dir }), { instances: {} }, "by default to stderr");
});

t.test("an error thrown outside the export's chain names the bundle's line", async (t) => {
  const { dir, file } = bundleFile(
    "timer.config.ts",
    "setTimeout(() => {\n  throw new Error('from a timer');\n}, 0);\nexport default new Promise(() => {});\n",
  );
  t.match((await loadError(file, dir)).message, /^timer\.config\.ts:2:\d+: the bundle threw while evaluating: from a timer$/);
});

t.test("a bundle in a directory whose path has spaces names its own line", async (t) => {
  const { dir, file } = bundleFile(
    "throws.config.ts",
    "function size(env: string): string {\n  if (env !== 'prod') throw new Error(`unknown environment ${env}`);\n  return '1Gi';\n}\nexport default { instances: { a: { values: { chromadb: { dataVolumeSize: size('x') } } } } };\n",
    "chroma mod (loader) ",
  );
  t.match((await loadError(file, dir)).message, /^throws\.config\.ts:2:\d+: the bundle threw while evaluating: unknown environment x$/);
  const outside = await loadError(join(dir, file), root);
  t.match(outside.message, `${join(dir, file)}:2:`, "an absolute path with spaces");
});

t.test("neither a writable cache nor a writable temp dir: a user error", async (t) => {
  const error = await withCache(join(root, "README.md"), () => withTmpdir(join(root, "README.md"), () => loadError("bundles/dev.config.ts")));
  t.match(error.message, /^cannot compile bundles\/dev\.config\.ts: neither the cache .*README\.md\/bundles nor a temp dir can be written \(ENOTDIR/);
  t.equal(error.hint, "Point CHROMA_MOD_CACHE or TMPDIR at a writable directory.");
  const temp = mkdtempSync(join(tmpdir(), "chroma-mod-private-"));
  const loaded = await withCache(join(root, "README.md"), () => withTmpdir(temp, () => loadBundleFile("bundles/dev.config.ts", options)));
  t.ok(loaded, "an unwritable cache: compiled in a temp dir");
  t.same(readdirSync(temp), [], "which is removed after");
  const broken = await withCache(join(root, "README.md"), () => withTmpdir(temp, () => loadError("test/fixtures/syntax.config.ts")));
  t.match(broken.message, "could not be compiled");
  t.same(readdirSync(temp), [], "a compile that fails leaves no temp dir either");
});

t.test("a compiled bundle is kept until one of its files changes", async (t) => {
  const cache = mkdtempSync(join(tmpdir(), "chroma-mod-cache-"));
  const { dir, file } = bundleFile("kept.config.ts", 'import { n } from "./n.ts";\nexport default { instances: { a: { values: { n } } } };\n');
  writeFileSync(join(dir, "n.ts"), "export const n = 1;\n");
  const load = () => withCache(cache, () => loadBundleFile(file, { ...options, cwd: dir })) as Promise<{ instances: { a: { values: { n: number } } } }>;
  t.equal((await load()).instances.a.values.n, 1);
  const compiled = readdirSync(join(cache, "bundles"));
  t.equal(compiled.filter((f) => f.endsWith(".json")).length, 1, "one manifest");
  t.equal((await load()).instances.a.values.n, 1, "loaded again");
  t.same(readdirSync(join(cache, "bundles")), compiled, "from the same compile");
  writeFileSync(join(dir, "n.ts"), "export const n = 2;\n");
  t.equal((await load()).instances.a.values.n, 2, "an imported file changed: compiled again");
  t.equal(readdirSync(join(cache, "bundles")).length, compiled.length + 1, "beside the earlier compile (a run may still use it)");
  rmSync(join(cache, "bundles", compiled.find((f) => !f.endsWith(".json"))!), { recursive: true });
  writeFileSync(join(dir, "n.ts"), "export const n = 1;\n");
  t.equal((await load()).instances.a.values.n, 1, "a compile whose files are gone is made again");
  const [manifest] = readdirSync(join(cache, "bundles")).filter((f) => f.endsWith(".json"));
  writeFileSync(join(cache, "bundles", manifest!), "{ not json");
  t.equal((await load()).instances.a.values.n, 1, "an unreadable manifest is a miss");
  // Old compiles of the same bundle go once they are old enough; this one's stays.
  const old = new Date(Date.now() - 3600_000);
  for (const f of readdirSync(join(cache, "bundles"))) utimesSync(join(cache, "bundles", f), old, old);
  writeFileSync(join(dir, "n.ts"), "export const n = 3;\n");
  t.equal((await load()).instances.a.values.n, 3);
  t.equal(readdirSync(join(cache, "bundles")).length, 2, "the manifest and the one compile in use");
  const twice = await Promise.all([load(), load()]);
  t.same(
    twice.map((b) => b.instances.a.values.n),
    [3, 3],
    "two runs at once",
  );
});

t.test("a compile that cannot be renamed or remembered in the cache", async (t) => {
  const fs = await import("node:fs");
  const cache = mkdtempSync(join(tmpdir(), "chroma-mod-cache-"));
  const { dir, file } = bundleFile("blocked.config.ts", "export default 1;\n");
  const compile = async (outdir: string) => {
    writeFileSync(join(outdir, "entry.mjs"), "export {};\n");
    return { inputs: [join(dir, file), join(dir, "gone.ts")], sources: new Set([join(dir, file)]) };
  };
  const failing = (name: "renameSync" | "writeFileSync") => ({
    "node:fs": {
      ...fs,
      [name]: (...args: unknown[]) => {
        if (String(args[0]).startsWith(cache)) throw Object.assign(new Error("EXDEV"), { code: "EXDEV" });
        return (fs[name] as (...a: unknown[]) => unknown)(...args);
      },
    },
  });
  const noRename: typeof import("../../engine/compile-cache.ts") = await t.mockImport("../../engine/compile-cache.ts", failing("renameSync"));
  const alone = await withCache(cache, () => noRename.compileInto(join(dir, file), {}, "runtime", compile));
  t.ok(alone.temporary, "not renamed: used from its temp dir, once");
  t.match(alone.dir, ".tmp-");
  rmSync(alone.dir, { recursive: true });
  const real = await import("../../engine/compile-cache.ts");
  const first = await withCache(cache, () => real.compileInto(join(dir, file), {}, "runtime", compile));
  t.notOk(first.temporary);
  const second = await withCache(cache, () => noRename.compileInto(join(dir, file), {}, "runtime", compile));
  t.same([second.dir, second.temporary], [first.dir, false], "another run's compile of the same files is used");
  t.equal(readdirSync(join(cache, "bundles")).filter((f) => f.includes(".tmp-")).length, 0, "no temp dir left");
  const noManifest: typeof import("../../engine/compile-cache.ts") = await t.mockImport("../../engine/compile-cache.ts", failing("writeFileSync"));
  const other = bundleFile("other.config.ts", "export default 2;\n");
  const unremembered = await withCache(cache, () => noManifest.compileInto(join(other.dir, other.file), {}, "runtime", compile));
  t.notOk(unremembered.temporary, "compiled into the cache");
  t.equal(await withCache(cache, () => real.cachedCompile(join(other.dir, other.file), {}, "runtime")), undefined, "but not remembered");
});

t.test("durations as a person writes them", async (t) => {
  t.equal(formatDuration(120_000), "2m");
  t.equal(formatDuration(30_000), "30s");
  t.equal(formatDuration(1500), "1500ms");
});

t.test("userFrame reads Node and Deno frames", async (t) => {
  const sources = new Set(["/tmp/my dir/b.config.ts"]);
  t.equal(userFrame("Error: x\n    at size (/tmp/my dir/b.config.ts:2:29)", "/tmp", sources), "my dir/b.config.ts:2:29");
  t.equal(userFrame("Error: x\n    at file:///tmp/my%20dir/b.config.ts:5:21", "/tmp", sources), "my dir/b.config.ts:5:21");
  t.equal(userFrame("Error: x\n    at file://remote-host/b.config.ts:5:21\n    at other (node:internal/x:1:1)", "/tmp", sources), undefined);
});

t.test("what is not a bundle says what to do", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-loader-"));
  writeFileSync(join(dir, "values.yaml"), "chromadb:\n  apiVersion: 1.0.0\n  auth:\n    enabled: true\n");
  const yaml = await loadError("values.yaml", dir);
  t.match(yaml.message, /^values\.yaml is YAML \(Helm chart values\?\), not a bundle/);
  t.match(yaml.hint, "Put the values under an instance's `values` in a bundle file");
  writeFileSync(join(dir, "values.config.ts"), "chromadb:\n  apiVersion: 1.0.0\n  isPersistent: true\n");
  t.match((await loadError("values.config.ts", dir)).message, /^values\.config\.ts is YAML/, "YAML pasted into a .ts file");
  writeFileSync(join(dir, "notes.txt"), "just: [text\n");
  t.match((await loadError("notes.txt", dir)).message, /^notes\.txt is not a bundle: bundles are TypeScript or JavaScript files/);
  writeFileSync(join(dir, "big.yaml"), `a: ${"x".repeat(1024 * 1024)}\n`);
  t.match((await loadError("big.yaml", dir)).message, /^big\.yaml is not a bundle/, "a large file is not parsed as YAML");
  writeFileSync(join(dir, "README"), "- a\n- b\n");
  t.match((await loadError("README", dir)).message, "not extension-less files");
  t.equal((await loadError(".", dir)).message, ". is a directory, not a bundle file.");
  const bundles = await loadError("bundles", root);
  t.equal(bundles.message, "bundles is a directory, not a bundle file.");
  t.match(bundles.hint, /^Name the bundle file, e\.g\. bundles\/\w+\.config\.ts\.$/);
  t.match((await loadError(mkdtempSync(join(tmpdir(), "chroma-mod-empty-")), root)).hint, "`chroma-mod init` writes one", "a directory with no bundle");
  execFileSync("mkfifo", [join(dir, "fifo.config.ts")]);
  t.equal((await loadError("fifo.config.ts", dir)).message, "fifo.config.ts is not a regular file.", "a FIFO would block the compiler");
});

t.test("an import that cannot be resolved is not a syntax error", async (t) => {
  const missing = await loadError("test/fixtures/import-missing.config.ts");
  t.match(
    missing.message,
    /^test\/fixtures\/import-missing\.config\.ts imports a file or package that does not exist:\n {2}test\/fixtures\/import-missing\.config\.ts:2:\d+: Could not resolve "\.\/does-not-exist\.ts"/,
  );
  t.match(missing.hint, "Check the import path");
  const { dir, file } = bundleFile("two.config.ts", 'import a from "./a.ts";\nimport b from "no-such-package-here";\nexport default { a, b };\n');
  t.match((await loadError(file, dir)).message, /^two\.config\.ts imports files or packages that do not exist:\n/);
  const mixed = bundleFile("mixed.config.ts", 'import a from "./a.ts";\nexport default { a, };;; }\n');
  t.match((await loadError(mixed.file, mixed.dir)).message, /^mixed\.config\.ts could not be compiled:/);
});

t.test("a bundle's worker started early is taken over, with what it printed meanwhile", async (t) => {
  const { startEarly } = await import("../../engine/bundle-worker.ts");
  const { dir, file } = bundleFile("early.config.ts", 'console.log("early");\nexport default { instances: { a: { values: {} } } };\n');
  const output: string[] = [];
  const load = (heapMb?: number) => loadBundleFile(file, { ...options, cwd: dir, onOutput: (text) => output.push(text), ...(heapMb ? { heapMb } : {}) });
  startEarly(file, dir, options.aliases); // not compiled yet: nothing starts
  t.same(await load(), { instances: { a: { values: {} } } });
  startEarly(file, dir, options.aliases);
  await new Promise((r) => setTimeout(r, 500)); // it runs, and prints, before anyone asks
  t.same(await load(), { instances: { a: { values: {} } } });
  t.same(output, ["early\n", "early\n"], "its output handed over in order");
  startEarly(file, dir, options.aliases);
  t.same(await load(512), { instances: { a: { values: {} } } }, "another heap limit: a worker of its own (the early one is stopped)");
  t.same(await load(), { instances: { a: { values: {} } } }, "then, nothing started early: a worker of its own");
});
