/**
 * Writing one file per object into a directory (`build --output-dir`), so that `kubectl apply -f DIR/` applies
 * exactly what was rendered: a manifest in the directory lists the files chroma-mod wrote, and the next write
 * removes those it no longer writes (an object that left the bundle must not come back). Files of others are left
 * alone. Files holding Secrets are created with mode 0600. A file is never written through a symlink.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "./errors.ts";

export const manifestName = ".chroma-mod-files";

export interface OutputFile {
  /** A bare file name (engine/serialize.ts `fileNameFor`): no directory part. */
  readonly name: string;
  readonly content: string;
  /** Holds credentials: mode 0600. */
  readonly secret: boolean;
}

const bareName = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

function writeError(dir: string, shown: string, error: unknown): UserError {
  return new UserError(`--output-dir ${shown}: could not write ${dir}: ${(error as Error).message}.`, "Check that the directory is writable and has space, or choose another one.");
}

/** The files chroma-mod wrote into `dir` last time, as its manifest lists them. */
function previousFiles(dir: string): string[] {
  const manifest = join(dir, manifestName);
  if (!existsSync(manifest)) return [];
  return readFileSync(manifest, "utf8")
    .split("\n")
    .filter((line) => bareName.test(line));
}

export function writeOutputDir(dir: string, shown: string, files: readonly OutputFile[]): { removed: string[] } {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new UserError(`--output-dir ${shown}: exists and is not a directory.`, "Name a directory (it is created if missing), or remove the file.");
  }
  const names = new Set<string>();
  for (const file of files) {
    if (!bareName.test(file.name) || names.has(file.name)) throw new UserError(`--output-dir ${shown}: cannot write two objects, or an object named "${file.name}", as one file.`, "Give every object a distinct, valid Kubernetes name (`chroma-mod vet` says which).");
    names.add(file.name);
  }
  try {
    mkdirSync(dir, { recursive: true });
    const removed = previousFiles(dir).filter((name) => !names.has(name) && existsSync(join(dir, name)));
    for (const name of removed) unlinkSync(join(dir, name));
    for (const file of files) {
      const path = join(dir, file.name);
      // Never through a symlink (or into a file of another mode): a fresh file each time.
      if (existsSync(path) || isDanglingLink(path)) unlinkSync(path);
      writeFileSync(path, file.content, { flag: "wx", mode: file.secret ? 0o600 : 0o644 });
      if (file.secret) chmodSync(path, 0o600); // whatever the umask
    }
    writeFileSync(join(dir, manifestName), `# The files chroma-mod build wrote here; the next build removes those it no longer writes.\n${[...names].sort().join("\n")}\n`);
    return { removed };
  } catch (error) {
    throw writeError(dir, shown, error);
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
