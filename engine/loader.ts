/**
 * Loads a `.config.ts` bundle: esbuild bundles it (and the local files it imports) to one ESM file with an inline
 * source map, the file is imported from the temp dir and deleted. `import … from "<package>"` resolves to the
 * entry the caller names, so bundles type-check in the IDE and run without an install step.
 */
import { randomUUID } from "node:crypto";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { BundleLoadError } from "./errors.ts";

export interface LoadOptions {
  /** Bare import specifiers resolved to absolute files, e.g. `{ "chroma-mod": "/…/mod.ts" }`. */
  readonly aliases: Readonly<Record<string, string>>;
  /** Base for the paths in messages. Default: the current directory. */
  readonly cwd?: string;
}

function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith("..") ? file : rel;
}

export async function loadBundleFile(file: string, options: LoadOptions): Promise<unknown> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    throw new BundleLoadError(`${file}: no such file.`, "Check the path, or create a bundle with `chroma-mod init`.");
  }
  const aliases = options.aliases;
  let code: string;
  let sources: Set<string>;
  try {
    const result = await esbuild.build({
      entryPoints: [path],
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      sourcesContent: false,
      metafile: true,
      logLevel: "silent",
      outfile: join(tmpdir(), "chroma-mod-bundle.mjs"),
      plugins: [
        {
          name: "aliases",
          setup(build) {
            const filter = new RegExp(`^(${Object.keys(aliases).map((a) => a.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|")})$`);
            build.onResolve({ filter }, (args) => ({ path: aliases[args.path]! }));
          },
        },
      ],
    });
    code = result.outputFiles[0]!.text;
    // The user's own files (not the libraries they import): where a thrown error's location is looked up.
    sources = new Set(Object.keys(result.metafile.inputs).filter((input) => !input.includes("node_modules/")).map((input) => resolve(input)));
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const messages = failure.errors.map((message) => {
      const where = message.location ? `${display(resolve(cwd, message.location.file), cwd)}:${message.location.line}:${message.location.column + 1}: ` : "";
      return `${where}${message.text}`;
    });
    throw new BundleLoadError(`${display(path, cwd)} could not be compiled:\n  ${messages.join("\n  ")}`, "Fix the syntax error at the position shown.");
  }
  // Map the bundle's stack frames back to the user's .ts lines (Deno maps inline source maps by itself).
  process.setSourceMapsEnabled?.(true);
  const temp = join(tmpdir(), `chroma-mod-${randomUUID()}.mjs`);
  writeFileSync(temp, code);
  const loaded = (await import(pathToFileURL(temp).href)
    .catch((error: unknown) => {
      const where = userFrame(error, cwd, sources) ?? display(path, cwd);
      const message = error instanceof Error ? error.message : String(error);
      throw new BundleLoadError(`${where}: the bundle threw while evaluating: ${message}`, "Fix the code at that line of the bundle.");
    })
    .finally(() => rmSync(temp, { force: true }))) as { default?: unknown };
  if (loaded.default === undefined) {
    throw new BundleLoadError(
      `${display(path, cwd)} has no default export.`,
      'End the file with `export default defineBundle({ instances: { … } })` (import { defineBundle } from "chroma-mod").',
    );
  }
  return loaded.default;
}

/** The first stack frame in one of the bundle's own files (source-mapped), as `file:line:col`. */
function userFrame(error: unknown, cwd: string, sources: ReadonlySet<string>): string | undefined {
  const stack = error instanceof Error ? String(error.stack) : "";
  // Node prints source-mapped frames as paths, Deno as file:// URLs.
  for (const match of stack.matchAll(/(?:\(|at )((?:file:\/\/)?\/[^\s()]+):(\d+):(\d+)/g)) {
    const file = decodeURIComponent(match[1]!.replace(/^file:\/\//, ""));
    if (sources.has(file)) return `${display(file, cwd)}:${match[2]}:${match[3]}`;
  }
  return undefined;
}
