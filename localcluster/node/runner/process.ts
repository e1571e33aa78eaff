/**
 * Containers as host processes: each started detached (its own process group, like its own cgroup), its output
 * kept in memory and in output.log; stop is SIGTERM to the main process, SIGKILL of its process group after the
 * grace period. Every container still running when the test process exits is killed with its group.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, type WriteStream } from "node:fs";
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
      this.child.kill("SIGTERM");
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

/** Starts a container's argv in `cwd` with exactly `env`, as `user` when given, its output also written to `logPath`. */
export function spawnContainer(
  name: string,
  argv: readonly string[],
  env: Record<string, string>,
  cwd: string,
  user: HostUser | undefined,
  logPath: string,
): RunningContainer {
  const logFile = createWriteStream(logPath);
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  return new RunningContainer(name, child, argv, env, cwd, logFile);
}

/** Files a container left in its working directory (its image root is read-only in the pod). */
export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
