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
  /** Who the object belongs to (an instance name; "" for the bundle itself): recorded in the manifest. */
  readonly owner: string;
}

const bareName = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

function writeError(dir: string, shown: string, error: unknown): UserError {
  return new UserError(
    `--output-dir ${shown}: could not write ${dir}: ${(error as Error).message}.`,
    "Check that the directory is writable and has space, or choose another one.",
  );
}

/** The files chroma-mod wrote into `dir` before, with their owners, as its manifest lists them. */
function previousFiles(dir: string): Map<string, string> {
  const manifest = join(dir, manifestName);
  if (!existsSync(manifest)) return new Map();
  const entries = readFileSync(manifest, "utf8")
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([name]) => bareName.test(name!));
  return new Map(entries.map(([name, owner]) => [name!, owner ?? ""]));
}

/**
 * Writes `files` into `dir`. The files chroma-mod wrote there before and does not write now are removed, but only
 * those of the owners written now (`only`: the selected instances, for `--instance`), so a partial build never
 * removes the files of the instances it did not build.
 */
export function writeOutputDir(dir: string, shown: string, files: readonly OutputFile[], only?: ReadonlySet<string>): { removed: string[] } {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new UserError(`--output-dir ${shown}: exists and is not a directory.`, "Name a directory (it is created if missing), or remove the file.");
  }
  const written = new Map<string, string>();
  for (const file of files) {
    if (!bareName.test(file.name) || written.has(file.name))
      throw new UserError(
        `--output-dir ${shown}: cannot write two objects, or an object named "${file.name}", as one file.`,
        "Give every object a distinct, valid Kubernetes name (`chroma-mod vet` says which).",
      );
    written.set(file.name, file.owner);
  }
  try {
    mkdirSync(dir, { recursive: true });
    const previous = [...previousFiles(dir)].filter(([name]) => !written.has(name) && existsSync(join(dir, name)));
    const removed = previous.filter(([, owner]) => !only || only.has(owner)).map(([name]) => name);
    for (const name of removed) unlinkSync(join(dir, name));
    for (const file of files) {
      const path = join(dir, file.name);
      // Never through a symlink (or into a file of another mode): a fresh file each time.
      if (existsSync(path) || isDanglingLink(path)) unlinkSync(path);
      writeFileSync(path, file.content, { flag: "wx", mode: file.secret ? 0o600 : 0o644 });
      if (file.secret) chmodSync(path, 0o600); // whatever the umask
    }
    const kept = previous.filter(([name]) => !removed.includes(name));
    const manifest = [...written, ...kept].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, owner]) => `${name}\t${owner}`);
    writeFileSync(
      join(dir, manifestName),
      `# The files chroma-mod build wrote here (file, instance); the next build removes those it no longer writes.\n${manifest.join("\n")}\n`,
    );
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
