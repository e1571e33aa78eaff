/**
 * The component processes: started detached (they outlive the caller) with their output in <stateDir>/logs/,
 * watched through /proc, stopped by process group; and the polls of a start, which fail early when one dies.
 */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, closeSync, constants, openSync, readFileSync, readlinkSync, realpathSync, statSync, writeSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../engine/errors.ts";
import { BUILD_SCRIPT, type LocalClusterPaths } from "./paths.ts";
import { clusterError, logTail } from "./report.ts";
import type { ComponentName, ComponentState } from "./types.ts";

/**
 * A pid is ours when its argv[0] is the binary we started: false once it is gone, a zombie or reused by another
 * program. An empty cmdline is either a zombie (gone) or a process in the middle of an exec (the kernel shows no
 * arguments until the new program's are in place: `env` becoming the component), told apart by its executable.
 */
export function isAlive(c: { pid: number; bin: string }): boolean {
  try {
    const argv = readFileSync(`/proc/${c.pid}/cmdline`, "utf8").split("\0");
    if (argv[0] === "") {
      // A zombie has no executable (readlink throws); a process in an exec has the old or the new one.
      const exe = readlinkSync(`/proc/${c.pid}/exe`);
      const ours = new Set([realpathSync(c.bin), "env"]);
      return [exe, basename(exe)].some((name) => ours.has(name));
    }
    // Right after the start, `env` (see startProcess) may not have replaced itself with the binary yet.
    return [c.bin, "env"].includes(argv[0]!) && argv.includes(c.bin);
  } catch {
    return false;
  }
}

export function startProcess(
  paths: LocalClusterPaths,
  name: ComponentName,
  args: string[],
  extraEnv: Record<string, string> = {},
  bin: string = join(paths.binDir, name),
): ComponentState {
  const log = join(paths.logDir, `${name}.log`);
  const fd = openSync(log, "a");
  writeSync(fd, `\n=== ${new Date().toISOString()} ${bin} ${args.join(" ")}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  delete env["KUBECONFIG"];
  // A component outlives its caller: Node.js options of the caller (a test runner's loader and coverage, which a
  // spawn hook of the caller may add back to any child's environment) must not follow it into a Node.js component,
  // so `env` drops them right before the component starts. (The argv[0] the component ends with is still `bin`.)
  const command = ["env", "-u", "NODE_OPTIONS", "-u", "NODE_V8_COVERAGE", bin, ...args];
  try {
    accessSync(bin, constants.X_OK);
    if (!statSync(bin).isFile()) throw new Error("not a file");
  } catch {
    closeSync(fd);
    throw clusterError(`could not start ${bin}`, log, `run \`bash ${BUILD_SCRIPT}\` to (re)build the binaries`);
  }
  // detached: its own process group, so it survives the caller.
  const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: ["ignore", fd, fd], cwd: paths.stateDir, env });
  closeSync(fd);
  child.unref();
  return { name, pid: child.pid!, bin, log };
}

/** Signal the process group of `c` when it is still ours; then wait up to `ms` for it to go. True when gone. */
async function signalAndWait(c: ComponentState, sig: NodeJS.Signals, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  // Started detached: pid == pgid. kill(1) rather than process.kill: if the group exits between the check and
  // the signal, kill just reports ESRCH (nothing to do) instead of throwing.
  if (isAlive(c)) spawnSync("kill", [`-${sig}`, "--", `-${c.pid}`], { stdio: "ignore" });
  while (isAlive(c)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Stop in the reverse order of starting (kwok first, etcd last): SIGTERM, then SIGKILL after 10 s. */
export async function stopComponents(components: ComponentState[], log: (l: string) => void): Promise<void> {
  for (const c of [...components].reverse()) {
    if (!(await signalAndWait(c, "SIGTERM", 10_000))) {
      log(`${c.name} (pid ${c.pid}) ignored SIGTERM for 10 s; sending SIGKILL`);
      await signalAndWait(c, "SIGKILL", 5000);
    }
  }
}

/** A failed start; `retryable` when a component lost a race for its port (another start picks new ones). */
export class StartupError extends UserError {
  constructor(
    cause: UserError,
    readonly retryable: boolean,
  ) {
    super(cause.message, cause.hint);
  }
}

/** Poll `ok` until true; fail early when one of `watch` died (retryable when it lost a port race). */
export async function waitFor(
  what: string,
  deadline: number,
  watch: ComponentState[],
  logForTimeout: string,
  fix: string,
  ok: () => Promise<boolean>,
): Promise<void> {
  while (!(await ok())) {
    for (const c of watch) {
      if (!isAlive(c)) {
        throw new StartupError(clusterError(`${c.name} exited while waiting for ${what}`, c.log, fix), /address already in use/i.test(logTail(c.log, 6)));
      }
    }
    if (Date.now() > deadline) {
      throw new StartupError(clusterError(`timed out waiting for ${what}`, logForTimeout, fix), false);
    }
    await sleep(200);
  }
}

/** GET a health endpoint on loopback: etcd over http, the controller manager and scheduler over https (self-signed). */
export function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const get: typeof httpsRequest = url.startsWith("https:") ? httpsRequest : httpRequest;
    const req = get(url, { rejectUnauthorized: false, signal: AbortSignal.timeout(3000) }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}
