/**
 * Timing whole processes for the benchmark: wall time, peak RSS of the largest process the command waited for, and,
 * on the local control plane, the requests it sent (the API server's audit log, by user agent). Paired runs: the
 * commands compared run in turn (A B A B …), so a machine whose speed drifts moves both alike.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface Sample {
  readonly ms: number;
  readonly rssMb: number;
  readonly requests: number;
  readonly writes: number;
}

/** min, median, max of a list of numbers. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

// Python's resource module reads the kernel's accounting of the finished child (getrusage), which Node does not
// expose; its own start-up is outside the timed span.
const RUNNER = [
  "import resource, subprocess, sys, time",
  "t = time.monotonic()",
  "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)",
  "ms = (time.monotonic() - t) * 1000",
  "sys.stderr.write(r.stderr.decode(errors='replace'))",
  "sys.stderr.write('\\nBENCH %d %.3f %d\\n' % (r.returncode, ms, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))",
].join("\n");

const WRITE_VERBS = new Set(["create", "update", "patch", "delete", "deletecollection"]);

export interface Runner {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** The API server's audit log, when there is a cluster. */
  readonly auditLog?: string | undefined;
}

/** Requests (and writes, dry-runs excluded) the audit log holds from byte `from` on, by user agent. */
function audited(log: string, from: number, agent: RegExp): { requests: number; writes: number } {
  let requests = 0;
  let writes = 0;
  // The API server rotates its audit log (--audit-log-maxsize): a file smaller than where the run started is the new
  // one, and what the run sent before the rotation is in the old one.
  const current = readFileSync(log);
  const rotated = current.length < from ? readFileSync(lastRotated(log)).subarray(from) : undefined;
  const text = (rotated ? Buffer.concat([rotated, current]) : current.subarray(from)).toString("utf8");
  for (const line of text.split("\n").slice(0, -1)) {
    const event = JSON.parse(line) as { userAgent?: string; stage?: string; verb?: string; requestURI?: string };
    if (event.stage !== "ResponseComplete" || !agent.test(event.userAgent ?? "")) continue;
    requests++;
    if (WRITE_VERBS.has(event.verb ?? "") && !event.requestURI?.includes("dryRun=All")) writes++;
  }
  return { requests, writes };
}

/** The newest rotated audit log beside `log` (`audit.log` → `audit-<time>.log`, as the API server names them). */
function lastRotated(log: string): string {
  const dir = dirname(log);
  const stem = basename(log, ".log");
  const [newest] = readdirSync(dir)
    .filter((name) => name.startsWith(`${stem}-`) && name.endsWith(".log"))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!newest) throw new Error(`${log} shrank, and no rotated audit log is beside it`);
  return newest;
}

/** Until the audit log stops growing (the API server writes it asynchronously). */
function settled(log: string): number {
  let size = statSync(log).size;
  for (;;) {
    spawnSync("sleep", ["0.2"]);
    const now = statSync(log).size;
    if (now === size) return now;
    size = now;
  }
}

/** Runs `command` once; `ok` lists the exit codes that are not failures (diff exits 1 on changes). */
export function run(runner: Runner, command: readonly string[], agent: RegExp = /$^/, ok: readonly number[] = [0]): Sample {
  const from = runner.auditLog ? settled(runner.auditLog) : 0;
  const r = spawnSync("python3", ["-c", RUNNER, ...command], { cwd: runner.cwd, env: runner.env, encoding: "utf8", maxBuffer: 1 << 28 });
  const match = /\nBENCH (-?\d+) ([\d.]+) (\d+)\n$/.exec(r.stderr ?? "");
  if (!match) throw new Error(`${command.join(" ")}: ${r.error?.message ?? r.stderr}`);
  const code = Number(match[1]);
  if (!ok.includes(code)) throw new Error(`${command.join(" ")} exited ${code}:\n${r.stderr.slice(0, r.stderr.lastIndexOf("\nBENCH"))}`);
  if (runner.auditLog) settled(runner.auditLog);
  const counts = runner.auditLog ? audited(runner.auditLog, from, agent) : { requests: 0, writes: 0 };
  return { ms: Number(match[2]), rssMb: Number(match[3]) / 1024, ...counts };
}

export function fmtMs(s: Spread): string {
  const f = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
