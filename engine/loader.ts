/**
 * Loads a `.config.ts` bundle: esbuild bundles it (and the local files it imports) with an inline source map into
 * a temp dir, a worker thread imports it and awaits its default export, and the dir is deleted. `import … from
 * "<package>"` resolves to the entry the caller names, so bundles type-check in the IDE and run without an install
 * step. The worker isolates the bundle's code: a bundle that never finishes (a loop, a promise never settled) is
 * stopped after a time limit, `process.exit` in it ends only the worker, and what it exports comes back as plain
 * data (engine/settle.ts), every non-data value reported with its path.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type * as esbuild from "esbuild";
import { cachedCompile, compileInto, NoCompileDirError } from "./compile-cache.ts";
import { BundleLoadError, ValidationError } from "./errors.ts";
import { packageRoot } from "./package-root.ts";
import { BundleWorker, DEFAULT_HEAP_MB, settleFile, takeEarly } from "./bundle-worker.ts";

export interface LoadOptions {
  /** Bare import specifiers resolved to absolute files, e.g. `{ "chroma-mod": "/…/mod.ts" }`. */
  readonly aliases: Readonly<Record<string, string>>;
  /** Base for the paths in messages. Default: the current directory. */
  readonly cwd?: string;
  /** How long the bundle's code may run before it is stopped. Default: 30 s. */
  readonly timeoutMs?: number;
  /** The heap the bundle's code may use, in MB. Default: 1024. */
  readonly heapMb?: number;
  /** Where what the bundle prints goes (never stdout, which carries the manifests). Default: stderr. */
  readonly onOutput?: (text: string) => void;
}

const defaultEvalTimeoutMs = 30_000;

const engineDir = join(packageRoot(import.meta.url), "engine");
/** The worker's own files, bundled beside the user's: never "the user's line" in a stack. */
const runtimeFiles = new Set([settleFile, join(engineDir, "plain-data.ts")]);
const bundleExtensions = new Set([".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx"]);

function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith("..") ? file : rel || ".";
}

/** `30s`, `1m`, `500ms` as a person writes it. */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

const bundleExample = 'import { defineBundle } from "chroma-mod";\n  export default defineBundle({ instances: { <name>: { values: { …your values… } } } });';

/** A file that is not a TypeScript/JavaScript bundle: a directory, YAML (e.g. a Helm values.yaml), anything else. */
async function notABundle(path: string, shown: string, cwd: string): Promise<BundleLoadError | undefined> {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    const inside = readdirSync(path).filter((name) => name.endsWith(".config.ts"));
    return new BundleLoadError(
      `${shown} is a directory, not a bundle file.`,
      inside.length > 0 ? `Name the bundle file, e.g. ${display(join(path, inside[0]!), cwd)}.` : "Name a bundle file (`chroma-mod init` writes one).",
    );
  }
  // A FIFO or a device would block the compiler forever.
  if (!stat.isFile()) return new BundleLoadError(`${shown} is not a regular file.`, "Name the bundle file itself.");
  const extension = extname(path);
  if (bundleExtensions.has(extension)) return undefined;
  if (await looksLikeYaml(path)) return yamlError(shown);
  return new BundleLoadError(
    `${shown} is not a bundle: bundles are TypeScript or JavaScript files (.ts, .mts, .js, .mjs), not ${extension || "extension-less"} files.`,
    `Write the bundle as a .config.ts file (\`chroma-mod init\` writes one):\n  ${bundleExample}`,
  );
}

/**
 * A YAML mapping (a Helm values file, say), which is not TypeScript even when it is named .ts. Asked only on the
 * way to an error, so the YAML parser loads only then.
 */
async function looksLikeYaml(path: string): Promise<boolean> {
  if (statSync(path).size > 1024 * 1024) return false; // a values file is small; a large file is not read twice
  try {
    const { parse } = await import("yaml");
    const parsed = parse(readFileSync(path, "utf8")) as unknown;
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function yamlError(shown: string): BundleLoadError {
  return new BundleLoadError(
    `${shown} is YAML (Helm chart values?), not a bundle: a bundle is a TypeScript file that names its instances.`,
    `Put the values under an instance's \`values\` in a bundle file, e.g. chroma.config.ts (\`chroma-mod init\` writes one):\n  ${bundleExample}\nThe chart's keys keep their names there.`,
  );
}

async function compileError(failure: esbuild.BuildFailure, path: string, shown: string, cwd: string): Promise<BundleLoadError> {
  const messages = failure.errors.map((message) => {
    const where = [message.location]
      .filter((location): location is esbuild.Location => location !== null)
      .map((location) => `${display(resolve(cwd, location.file), cwd)}:${location.line}:${location.column + 1}: `);
    return `${where.join("")}${message.text}`;
  });
  const unresolved = failure.errors.filter((message) => message.text.startsWith("Could not resolve"));
  if (unresolved.length === failure.errors.length) {
    return new BundleLoadError(
      `${shown} imports ${unresolved.length === 1 ? "a file or package that does not exist" : "files or packages that do not exist"}:\n  ${messages.join("\n  ")}`,
      "Check the import path (relative to the importing file, starting with ./ or ../); for a package, install it next to the bundle (npm install <package>).",
    );
  }
  if (await looksLikeYaml(path)) return yamlError(shown);
  return new BundleLoadError(`${shown} could not be compiled:\n  ${messages.join("\n  ")}`, "Fix the syntax error at the position shown.");
}

/** esbuild bundles the bundle file for the worker into `outdir`; returns every input file and the user's own among them. */
async function compile(
  path: string,
  cwd: string,
  aliases: Readonly<Record<string, string>>,
  outdir: string,
): Promise<{ inputs: string[]; sources: Set<string> }> {
  // Loaded only when a bundle is compiled: a bundle compiled before (compile-cache.ts) needs no esbuild process.
  const { build } = await import("esbuild");
  const result = await build({
    // The worker's entry: settle the bundle (imported as its own chunk, so source maps are on before it runs).
    stdin: {
      contents: [
        `import { Console } from "node:console";`,
        `import { parentPort } from "node:worker_threads";`,
        `import { settleBundle } from ${JSON.stringify(settleFile)};`,
        `process.setSourceMapsEnabled?.(true);`,
        // What the bundle prints comes to the main thread as messages, in order, before the result.
        `const decoder = new TextDecoder();`,
        `process.stdout.write = process.stderr.write = (chunk) => (parentPort.postMessage({ kind: "output", text: typeof chunk === "string" ? chunk : decoder.decode(chunk) }), true);`,
        `globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr });`,
        `settleBundle(() => import(${JSON.stringify(path)})).then((settled) => parentPort.postMessage(settled));`,
      ].join("\n"),
      resolveDir: cwd,
      loader: "ts",
    },
    bundle: true,
    splitting: true,
    write: true,
    outdir,
    entryNames: "entry",
    outExtension: { ".js": ".mjs" },
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "inline",
    sourcesContent: false,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        name: "aliases",
        setup(build) {
          const filter = new RegExp(
            `^(${Object.keys(aliases)
              .map((a) => a.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"))
              .join("|")})$`,
          );
          build.onResolve({ filter }, (args) => ({ path: aliases[args.path]! }));
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => input !== "<stdin>")
    .map((input) => resolve(input));
  // The user's own files (not the libraries they import, not the worker's): where a thrown error's location is looked up.
  const sources = new Set(inputs.filter((input) => !input.includes("node_modules/") && !runtimeFiles.has(input)));
  return { inputs, sources };
}

export async function loadBundleFile(file: string, options: LoadOptions): Promise<unknown> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, file);
  const shown = display(path, cwd);
  if (!existsSync(path)) {
    throw new BundleLoadError(`${file}: no such file.`, "Check the path, or create a bundle with `chroma-mod init`.");
  }
  const wrong = await notABundle(path, shown, cwd);
  if (wrong) throw wrong;
  const aliases = options.aliases;
  const early = takeEarly(path, aliases);
  let compiled = early?.compiled ?? cachedCompile(path, aliases, settleFile);
  if (!compiled) {
    try {
      compiled = await compileInto(path, aliases, settleFile, (outdir) => compile(path, cwd, aliases, outdir));
    } catch (error) {
      if (error instanceof NoCompileDirError) {
        throw new BundleLoadError(`cannot compile ${shown}: ${error.message}.`, "Point CHROMA_MOD_CACHE or TMPDIR at a writable directory.");
      }
      throw await compileError(error as esbuild.BuildFailure, path, shown, cwd);
    }
  }
  const { sources } = compiled;
  try {
    const timeoutMs = options.timeoutMs ?? defaultEvalTimeoutMs;
    const heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
    const onOutput = options.onOutput ?? ((text: string) => void process.stderr.write(text));
    // A worker started early runs with the default heap limit: another limit needs a worker of its own.
    if (early && early.worker.heapMb !== heapMb) early.worker.stop();
    const worker = early?.worker.heapMb === heapMb ? early.worker : new BundleWorker(compiled.dir, heapMb);
    const settled = await worker.settle(timeoutMs, onOutput);
    switch (settled.kind) {
      case "value":
        if (settled.issues.length > 0) {
          throw new ValidationError(
            shown,
            settled.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^instances(\.|$)/, "") })),
            "A bundle is plain data: objects, arrays, strings, numbers, booleans and null. Replace each value above with one.",
          );
        }
        return settled.value;
      case "no-default":
        throw new BundleLoadError(
          `${shown} has no default export.`,
          'End the file with `export default defineBundle({ instances: { … } })` (import { defineBundle } from "chroma-mod").',
        );
      case "threw": {
        const where = userFrame(settled.stack, cwd, sources) ?? shown;
        throw new BundleLoadError(`${where}: the bundle threw while evaluating: ${settled.message}`, "Fix the code at that line of the bundle.");
      }
      case "timeout":
        throw new BundleLoadError(
          `${shown} did not finish evaluating within ${formatDuration(timeoutMs)}: its code (or a file it imports) still runs or waits.`,
          `Look for a loop that never ends or a promise that never settles (the default export is awaited). If it is only slow, raise the limit: --eval-timeout ${formatDuration(timeoutMs * 4)}.`,
        );
      case "memory":
        throw new BundleLoadError(
          `${shown} used more than ${heapMb} MB of memory while evaluating and was stopped.`,
          "Look for a loop that keeps allocating (growing a list or a string without end) in the bundle or the files it imports.",
        );
      case "stopped":
        throw new BundleLoadError(
          `${shown} stopped before its default export was ready (${settled.code === 0 ? "it waits on a promise that never settles, with nothing left to run" : `it called process.exit(${settled.code})`}).`,
          "Make sure every promise the bundle awaits settles, and do not exit the process from a bundle.",
        );
    }
  } finally {
    if (compiled.temporary) rmSync(compiled.dir, { recursive: true, force: true });
  }
}

/** The first stack frame in one of the bundle's own files (source-mapped), as `file:line:col`. */
export function userFrame(stack: string, cwd: string, sources: ReadonlySet<string>): string | undefined {
  // Node prints source-mapped frames as paths, Deno as file:// URLs; either may hold spaces and parentheses.
  for (const line of stack.split("\n")) {
    const match = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!match) continue;
    const file = match[1]!.startsWith("file://") ? fromFileUrl(match[1]!) : match[1]!;
    if (sources.has(file)) return `${display(file, cwd)}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

function fromFileUrl(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url.slice("file://".length);
  }
}
