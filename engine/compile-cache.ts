/**
 * Compiled bundles, kept between runs: a bundle whose files (the bundle, the local files it imports, the module and
 * the libraries bundled with it) are byte for byte those of the last compile is not compiled again, and esbuild (a
 * process of its own) is not even started. Under `<cache>/bundles/`: per bundle file and import aliases, a manifest
 * (`<key>.json`: every input file with its SHA-256) and the compiled files (`<key>-<content hash>/`). Compiled into a
 * sibling temp dir and renamed into place, so concurrent runs never see half a compile; a cache that cannot be
 * written is no error (the compile then lives in a temp dir for this run only).
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultCacheDir } from "./cache-dir.ts";

/** A compiled bundle: its directory (entry.mjs and chunks) and the user's own source files in it. */
export interface Compiled {
  readonly dir: string;
  readonly sources: ReadonlySet<string>;
  /** A temp dir to delete after use (the cache could not be written). */
  readonly temporary: boolean;
}

interface Manifest {
  readonly dir: string;
  readonly inputs: ReadonlyArray<readonly [string, string]>;
  readonly sources: readonly string[];
}

const MANIFEST_VERSION = 1;
/** Compiles of a bundle replaced this long ago are deleted (a run that started before may still be using one). */
const STALE_MS = 10 * 60_000;

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function fileHash(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

function bundlesDir(): string {
  return join(defaultCacheDir(), "bundles");
}

/** The key of a bundle file compiled with these aliases and this worker entry. */
function keyOf(path: string, aliases: Readonly<Record<string, string>>, runtime: string): string {
  return sha256(JSON.stringify({ v: MANIFEST_VERSION, path, aliases, runtime })).slice(0, 32);
}

/** The last compile of `path`, when none of its input files changed since. */
export function cachedCompile(path: string, aliases: Readonly<Record<string, string>>, runtime: string): Compiled | undefined {
  const dir = bundlesDir();
  try {
    const manifest = JSON.parse(readFileSync(join(dir, `${keyOf(path, aliases, runtime)}.json`), "utf8")) as Manifest;
    if (!manifest.inputs.every(([file, hash]) => fileHash(file) === hash)) return undefined;
    statSync(join(dir, manifest.dir, "entry.mjs"));
    return { dir: join(dir, manifest.dir), sources: new Set(manifest.sources), temporary: false };
  } catch {
    return undefined; // none yet, unreadable, or its compiled files are gone
  }
}

/**
 * Compiles with `compile(outdir)`, which writes entry.mjs (and chunks) into outdir and returns the input files and
 * the user's sources among them; keeps the result for the next run when the cache can be written.
 */
export async function compileInto(
  path: string,
  aliases: Readonly<Record<string, string>>,
  runtime: string,
  compile: (outdir: string) => Promise<{ inputs: readonly string[]; sources: ReadonlySet<string> }>,
): Promise<Compiled> {
  const dir = bundlesDir();
  const key = keyOf(path, aliases, runtime);
  const temp = join(dir, `${key}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`);
  try {
    mkdirSync(temp, { recursive: true });
  } catch {
    return compileTemporary(compile);
  }
  let compiled: { inputs: readonly string[]; sources: ReadonlySet<string> };
  try {
    compiled = await compile(temp);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const { inputs, sources } = compiled;
  const hashed = inputs.map((file) => [file, fileHash(file) ?? ""] as const);
  const name = `${key}-${sha256(JSON.stringify(hashed)).slice(0, 16)}`;
  const final = join(dir, name);
  try {
    renameSync(temp, final);
  } catch {
    // Another run compiled the same files first (theirs is the same): use theirs; else this one, for this run.
    if (!existsSync(join(final, "entry.mjs"))) return { dir: temp, sources, temporary: true };
    rmSync(temp, { recursive: true, force: true });
  }
  const manifestTemp = join(dir, `${key}.json.tmp-${process.pid}`);
  try {
    const manifest: Manifest = { dir: name, inputs: hashed, sources: [...sources] };
    writeFileSync(manifestTemp, JSON.stringify(manifest));
    renameSync(manifestTemp, join(dir, `${key}.json`));
    removeStale(dir, key, name);
  } catch {
    // Not remembered (the next run compiles again), or an old compile removed meanwhile by another run.
    rmSync(manifestTemp, { force: true });
  }
  return { dir: final, sources, temporary: false };
}

/** Neither the cache nor the temp dir can be written. */
export class NoCompileDirError extends Error {}

/** The compile in a temp dir of this run only. */
async function compileTemporary(compile: (outdir: string) => Promise<{ sources: ReadonlySet<string> }>): Promise<Compiled> {
  const outdir = join(tmpdir(), `chroma-mod-${randomUUID()}`);
  try {
    mkdirSync(outdir);
  } catch (error) {
    throw new NoCompileDirError(`neither the cache ${bundlesDir()} nor a temp dir can be written (${(error as Error).message})`);
  }
  try {
    const { sources } = await compile(outdir);
    return { dir: outdir, sources, temporary: true };
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

/** Earlier compiles of the same bundle, and temp dirs of runs that died, once they are old enough. */
function removeStale(dir: string, key: string, keep: string): void {
  const now = Date.now();
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith(key) || entry === keep || entry === `${key}.json`) continue;
    const path = join(dir, entry);
    if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
}
