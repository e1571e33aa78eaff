/**
 * Containers as host processes: each started detached (its own process group, like its own cgroup), its output
 * kept in memory and in output.log; stop is SIGTERM to the main process, SIGKILL of its process group after the
 * grace period. Every container still running when the test process exits is killed with its group.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync, type WriteStream } from "node:fs";
import type { HostUser } from "./host.ts";

export interface ContainerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Killed with SIGKILL after the grace period (a failed graceful stop). */
  readonly killed: boolean;
  readonly afterMs: number;
}

export function describeExit(exit: ContainerExit | undefined): string {
  if (!exit) return "running";
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

/** Every container still running: killed (whole process group) if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});

export class RunningContainer {
  readonly lines: string[] = [];
  exit: ContainerExit | undefined;
  readonly exited: Promise<ContainerExit>;
  private readonly started = Date.now();
  private stopRequestedAt = 0;
  private killed = false;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly argv: readonly string[],
    readonly env: Readonly<Record<string, string>>,
    readonly cwd: string,
    logFile: WriteStream,
    /** The spawned process is a PID namespace's `unshare`: graceful signals go to its child. */
    private readonly namespaced = false,
  ) {
    const onData = () => {
      let partial = "";
      return (chunk: Buffer) => {
        logFile.write(chunk);
        const text = partial + chunk.toString("utf8");
        const parts = text.split("\n");
        partial = parts.pop() ?? "";
        for (const p of parts) this.lines.push(p);
      };
    };
    live.add(child);
    child.stdout?.on("data", onData());
    child.stderr?.on("data", onData());
    this.exited = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        live.delete(child);
        this.exit = {
          code,
          signal,
          killed: this.killed,
          afterMs: this.stopRequestedAt ? Date.now() - this.stopRequestedAt : Date.now() - this.started,
        };
        // Let the pipes drain before callers read the log.
        setTimeout(() => {
          logFile.end();
          resolve(this.exit!);
        }, 50);
      });
      child.on("error", (error) => {
        this.lines.push(`runner: cannot start ${argv[0]}: ${error.message}`);
      });
    });
  }

  get log(): string {
    return this.lines.join("\n");
  }

  async stop(graceMs: number): Promise<ContainerExit> {
    if (this.exit) return this.exit;
    this.stopRequestedAt = Date.now();
    try {
      const init = this.namespaced ? initOf(this.child.pid!) : undefined;
      if (init !== undefined) process.kill(init, "SIGTERM");
      else this.child.kill("SIGTERM");
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      this.killed = true;
      try {
        process.kill(-this.child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    // Whatever the main process left behind in its group (e.g. nginx workers) goes too, like the container's cgroup.
    try {
      process.kill(-this.child.pid!, "SIGKILL");
    } catch {
      /* group empty */
    }
    return exit;
  }
}

/**
 * How a container's process enters its pod: the argv prefix that joins the pod's network (nsenter) and gives the
 * container a PID namespace of its own (so its processes go with its main one, as in a container), given the user
 * it runs as (which the prefix switches to last). Without one, it runs in the host's network.
 */
export type PodEntry = (user: HostUser | undefined) => string[];

/**
 * The container's own first process when its argv went through a PID-namespace prefix (the spawned process is
 * `unshare`, which waits for it): the one signals for a graceful stop go to. Undefined before it exists.
 */
function initOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a container's argv in `cwd` with exactly `env`, as `user` when given, its output also written to
 * `logPath`; with `entry`, inside the pod's network namespace.
 */
export function spawnContainer(
  name: string,
  argv: readonly string[],
  env: Record<string, string>,
  cwd: string,
  user: HostUser | undefined,
  logPath: string,
  entry?: PodEntry,
): RunningContainer {
  const logFile = createWriteStream(logPath, { flags: "a" });
  const full = entry ? [...entry(user), ...argv] : [...argv];
  const child = spawn(full[0]!, full.slice(1), {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // nsenter switches user itself, after joining the namespace (which needs the agent's rights).
    ...(user && !entry ? { uid: user.uid, gid: user.gid } : {}),
  });
  return new RunningContainer(name, child, argv, env, cwd, logFile, entry !== undefined);
}

/** Files a container left in its working directory (its image root is read-only in the pod). */
export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
