/**
 * How the local control plane speaks to its user: progress lines, and failures as UserErrors (one paragraph naming
 * the log to read, then a fix with the command to type).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../engine/errors.ts";
import { defaultCacheDir, type LocalClusterPaths } from "./paths.ts";

/** The progress logger of `opts` (default: `[localcluster] …` lines on stderr). */
export function logger(opts: { log?: ((line: string) => void) | undefined }): (line: string) => void {
  return opts.log ?? ((line: string) => process.stderr.write(`[localcluster] ${line}\n`));
}

/** Last non-empty lines of a log file (written before any error names it), joined on one line. */
export function logTail(file: string, lines = 3): string {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 16384));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    const tail = buf
      .toString("utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .slice(-lines)
      .join(" | ");
    return tail.slice(-900);
  } finally {
    closeSync(fd);
  }
}

/** A local-cluster failure as the CLI shows it: one paragraph (what, and the log to read), then the fix. */
export function clusterError(what: string, log: string | null, fix: string): UserError {
  const logPart = log === null ? "" : ` Read ${log} (last lines: ${logTail(log)}).`;
  return new UserError(`Local cluster: ${what}.${logPart}`, fix);
}

/** `v` quoted for a POSIX shell. */
export function shq(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** The command a user types to run `chroma-mod local <args>` on the cluster of `paths`. */
export function localCommand(paths: LocalClusterPaths, args: string): string {
  if (paths.stateDir !== join(paths.cacheDir, "cluster")) {
    // Only tests and localcluster/cli.ts use other state dirs.
    return `LOCALCLUSTER_STATE_DIR=${shq(paths.stateDir)} npx tsx localcluster/cli.ts ${args}`;
  }
  return `${paths.cacheDir === defaultCacheDir() ? "" : `CHROMA_MOD_CACHE=${shq(paths.cacheDir)} `}chroma-mod local ${args}`;
}

/** The command that stops the cluster of `paths` and deletes its state dir. */
export function purgeCommand(paths: LocalClusterPaths): string {
  return localCommand(paths, "down --purge");
}

/** The error of a command that needs the cluster of `paths` running. */
export function notRunning(paths: LocalClusterPaths): UserError {
  return clusterError(`the cluster in ${paths.stateDir} is not running`, null, `start it with \`${localCommand(paths, "up")}\``);
}

/**
 * Any failure of `fn` as a UserError: the expected ones already are; anything else (a state dir that is a file,
 * a disk full, a permission refused) is one too, naming the state dir, never an internal error.
 */
export async function userErrors<T>(paths: LocalClusterPaths, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      `Local cluster: could not ${what} (state dir ${paths.stateDir}): ${(e as Error).message}.`,
      `Check that ${paths.stateDir} and ${paths.cacheDir} are directories you can write to (move aside anything else ` +
        `in their place) on a disk with free space, then run the command again.`,
    );
  }
}
