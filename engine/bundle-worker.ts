/**
 * The worker thread a compiled bundle runs in, and its early start: a command that reads a bundle compiled before
 * (compile-cache.ts) starts the bundle's worker first thing, so that the worker's start-up (a thread, a V8 isolate,
 * the bundle's own code) runs beside the loading of the CLI itself instead of after it. What the worker says before
 * the loader takes it is kept, in order, and handed over then.
 */
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { join, resolve } from "node:path";
import { cachedCompile, type Compiled } from "./compile-cache.ts";
import { packageFile } from "./package-root.ts";
import { thrown, type Settled } from "./settle.ts";

/** The worker's entry: engine/settle.ts, or its build in the installed package (scripts/build.mjs). */
export const settleFile = packageFile("engine/settle.ts", "dist/settle.js", import.meta.url);

export type WorkerResult = Settled | { readonly kind: "timeout" } | { readonly kind: "memory" } | { readonly kind: "stopped"; readonly code: number };

type WorkerEvent =
  | { readonly type: "message"; readonly message: Settled | { kind: "output"; text: string } }
  | { readonly type: "error"; readonly error: Error }
  | { readonly type: "exit"; readonly code: number };

export const DEFAULT_HEAP_MB = 1024;

export class BundleWorker {
  private readonly worker: Worker;
  private readonly queued: WorkerEvent[] = [];
  private listener: ((event: WorkerEvent) => void) | undefined;

  /** Starts the compiled bundle in `dir` (its entry.mjs) in a worker of its own. */
  constructor(
    readonly dir: string,
    readonly heapMb: number,
  ) {
    // No inherited loader hooks (tsx, a test runner's): the bundle is compiled JavaScript already.
    // A heap limit of its own: a bundle that allocates without end fails alone, not the whole process.
    this.worker = new Worker(pathToFileURL(join(dir, "entry.mjs")), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    const push = (event: WorkerEvent) => (this.listener ? this.listener(event) : this.queued.push(event));
    this.worker.on("message", (message: Settled | { kind: "output"; text: string }) => push({ type: "message", message }));
    this.worker.once("error", (error) => push({ type: "error", error }));
    this.worker.once("exit", (code) => push({ type: "exit", code }));
  }

  /** The bundle's answer: what it printed goes to `onOutput`; stopped when it answers, dies, or runs out of time. */
  settle(timeoutMs: number, onOutput: (text: string) => void): Promise<WorkerResult> {
    return new Promise((settle) => {
      const done = (result: WorkerResult) => {
        clearTimeout(timer);
        this.listener = () => {};
        this.worker.removeAllListeners();
        void this.worker.terminate();
        settle(result);
      };
      const timer = setTimeout(() => done({ kind: "timeout" }), timeoutMs);
      this.listener = (event) => {
        if (event.type === "message") {
          if (event.message.kind === "output") onOutput(event.message.text);
          else done(event.message);
        } else if (event.type === "error") {
          // An exception thrown outside the default export's chain (a timer callback, an unhandled rejection).
          done((event.error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY" ? { kind: "memory" } : thrown(event.error));
        } else done({ kind: "stopped", code: event.code });
      };
      this.worker.ref();
      for (const event of this.queued.splice(0)) this.listener(event);
    });
  }

  /** A worker started early that nobody takes does not keep the process alive. */
  unref(): void {
    this.worker.unref();
  }

  /** Ends a worker started early that is not used (another heap limit was asked for). */
  stop(): void {
    void this.worker.terminate();
  }
}

/** Workers started early, with the compile they run, by bundle file and aliases. */
const early = new Map<string, { compiled: Compiled; worker: BundleWorker }>();
const earlyKey = (path: string, aliases: Readonly<Record<string, string>>) => `${path}\0${JSON.stringify(aliases)}`;

/**
 * Starts the worker of `file` (a path from the command line, relative to `cwd`) when it was compiled before with
 * these aliases, ahead of the loader, which takes it (`takeEarly`). Not compiled yet, or not a bundle: nothing
 * starts, and the loader does all as usual.
 */
export function startEarly(file: string, cwd: string, aliases: Readonly<Record<string, string>>): void {
  const path = resolve(cwd, file);
  const compiled = cachedCompile(path, aliases, settleFile);
  if (!compiled) return;
  const worker = new BundleWorker(compiled.dir, DEFAULT_HEAP_MB);
  worker.unref();
  early.set(earlyKey(path, aliases), { compiled, worker });
}

/** What was started early for the bundle file `path` with these aliases, if anything (taken once): its files need no second look. */
export function takeEarly(path: string, aliases: Readonly<Record<string, string>>): { compiled: Compiled; worker: BundleWorker } | undefined {
  const key = earlyKey(path, aliases);
  const found = early.get(key);
  early.delete(key);
  return found;
}
