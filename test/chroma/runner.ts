/**
 * Runs the pod of a RENDERED Chroma instance as local processes, the way a kubelet would run it:
 *
 * - the StatefulSet's pod template is taken from `evaluate()`'s objects as they are (never a hand-written copy);
 * - each container's command/args run with its programs mapped onto the host (`uvicorn`/`chroma`/`python` → the
 *   version's venv, `dumb-init` → /usr/bin/dumb-init, `/bin/sh` → sh, `nginx` → Debian nginx), with
 *   Kubernetes' `$(VAR)` expansion;
 * - env `value`s and `valueFrom` (secretKeyRef, configMapKeyRef) are resolved from the rendered ConfigMaps and the
 *   generated Secrets, filled by `fillSecretData` exactly as `apply` fills them (once per runner: restarts keep
 *   the credentials, as the cluster keeps the Secret);
 * - ConfigMap/Secret volumes become files (honouring `items`), emptyDirs fresh directories per pod start, PVCs
 *   (volumeClaimTemplates) directories kept across restarts of the same runner;
 * - every mount path is rewritten to its host directory wherever it appears as a path in args, env values and the
 *   ConfigMap files a container mounts (per container: two containers mounting `/tmp` get different dirs);
 * - readiness is the rendered readinessProbe (and startupProbe) of each container, on 127.0.0.1;
 * - stop is SIGTERM to each container's main process, SIGKILL of its process group after the grace period.
 *
 * Containers of the proxy image run as the rendered runAsUser/runAsGroup when the runner is root (fsGroup is
 * emulated by chgrp + setgid on the writable volumes), like the non-root pod; containers whose programs live in
 * a venv under the (0700) home of the test user run as that user.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, createWriteStream, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fillSecretData } from "../../engine/apply/generated.ts";
import type { GeneratedSecret, KubeObject } from "../../core/types.ts";

/* ------------------------------------------------------------------ pod spec types (the parts we read) */

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}
interface HttpProbe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  startupProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  securityContext?: { runAsUser?: number; runAsGroup?: number };
  workingDir?: string;
}
interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[]; optional?: boolean };
  secret?: { secretName: string; items?: { key: string; path: string }[]; optional?: boolean };
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName: string };
}
export interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsUser?: number; runAsGroup?: number; fsGroup?: number };
}

/* ------------------------------------------------------------------ options */

/** How the host stands in for a container image. */
export interface ImageProfile {
  /** The image's own environment (PATH, …); the container's env is applied on top, as in Kubernetes. */
  readonly env: Readonly<Record<string, string>>;
  /** Program name (as written in command/args) → host executable. */
  readonly programs: Readonly<Record<string, string>>;
  /** Run as the rendered runAsUser/runAsGroup (only possible when the runner is root). */
  readonly runAsRenderedUser?: boolean;
}

export interface RunnerOptions {
  /** Chooses the profile of a container by its image reference. */
  readonly imageProfile: (image: string, container: string) => ImageProfile;
  /** Where the pod's directories go (default: a new dir under the OS temp dir). */
  readonly baseDir?: string;
  /** Readiness deadline per start (ms). */
  readonly readyTimeoutMs?: number;
  /** Grace period on stop (ms); default: the rendered terminationGracePeriodSeconds. */
  readonly graceMs?: number;
  /** Transforms the pod spec before running it (used only to run the image's ENTRYPOINT with the rendered command as its args). */
  readonly transformPod?: (spec: PodSpec) => PodSpec;
  /** Extra env added to every container (e.g. PYTHONUNBUFFERED); never overrides rendered env. */
  readonly log?: (line: string) => void;
}

export interface ContainerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Killed with SIGKILL after the grace period (a failed graceful stop). */
  readonly killed: boolean;
  readonly afterMs: number;
}

export interface ProbeTarget {
  readonly container: string;
  readonly kind: "startup" | "liveness" | "readiness";
  readonly path: string;
  readonly port: number;
}

export class PodStartError extends Error {
  override name = "PodStartError";
}

/* ------------------------------------------------------------------ helpers */

const pathChar = /[A-Za-z0-9_.\-]/;

/** Rewrites every occurrence of a mount path used as a path (whole path component boundaries) in `text`. */
export function rewritePaths(text: string, mounts: ReadonlyMap<string, string>): string {
  const keys = [...mounts.keys()].filter((k) => k !== "/").sort((a, b) => b.length - a.length);
  if (keys.length === 0) return text;
  const escaped = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const re = new RegExp(`(${escaped.join("|")})(?=$|[^A-Za-z0-9_.\\-])`, "g");
  return text.replace(re, (match, _g, offset: number) => {
    const before = offset > 0 ? text[offset - 1]! : "";
    // "/var/tmp" must not match "/tmp", nor "//tmp" or "/tmpx"; "/tmp/x" and "a /tmp;" do.
    if (before && (pathChar.test(before) || before === "/")) return match;
    return mounts.get(match)!;
  });
}

/** Kubernetes `$(VAR)` expansion ($$ escapes), unresolved references stay as written. */
export function expandK8s(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => {
    if (m === "$$") return "$";
    return name !== undefined && name in env ? env[name]! : m;
  });
}

function statefulSetOf(objects: readonly KubeObject[]): KubeObject {
  const sets = objects.filter((o) => o.kind === "StatefulSet");
  if (sets.length !== 1) throw new PodStartError(`expected exactly one StatefulSet in the rendered objects, found ${sets.length}`);
  return sets[0]!;
}

function podSpecOf(objects: readonly KubeObject[]): { spec: PodSpec; claims: string[] } {
  const sts = statefulSetOf(objects) as KubeObject & {
    spec: { template: { spec: PodSpec }; volumeClaimTemplates?: { metadata: { name: string } }[] };
  };
  return { spec: structuredClone(sts.spec.template.spec), claims: (sts.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name) };
}

function configMaps(objects: readonly KubeObject[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const o of objects) if (o.kind === "ConfigMap") out.set(o.metadata.name, { ...((o as { data?: Record<string, string> }).data ?? {}) });
  return out;
}

function describeExit(exit: ContainerExit | undefined): string {
  if (!exit) return "running";
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

/* ------------------------------------------------------------------ running containers */

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

class RunningContainer {
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
    const onData = (stream: string) => {
      let partial = "";
      return (chunk: Buffer) => {
        logFile.write(chunk);
        const text = partial + chunk.toString("utf8");
        const parts = text.split("\n");
        partial = parts.pop() ?? "";
        for (const p of parts) this.lines.push(p);
        void stream;
      };
    };
    live.add(child);
    child.stdout?.on("data", onData("stdout"));
    child.stderr?.on("data", onData("stderr"));
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

export interface RunningPod {
  readonly containers: ReadonlyMap<string, RunningContainer>;
  /** Every rendered probe, resolved to a loopback port. */
  readonly probes: readonly ProbeTarget[];
  /** Per container: mount path → host dir (for assertions and debugging). */
  readonly mounts: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The working directory each container ran in (stand-in for its read-only root filesystem). */
  readonly workDirs: ReadonlyMap<string, string>;
  log(container?: string): string;
  /** SIGTERM every container, SIGKILL after the grace period; resolves with each container's exit. */
  stop(): Promise<Map<string, ContainerExit>>;
}

/**
 * One pod identity: the rendered objects, their generated Secret data and the PVC directories, kept across
 * `start()` calls (a restart = stop + start: same Secret, same PVCs, fresh emptyDirs).
 */
export class PodRunner {
  readonly secrets: Map<string, Record<string, string>>;
  readonly baseDir: string;
  private readonly pvcDirs = new Map<string, string>();
  private starts = 0;

  constructor(
    readonly objects: readonly KubeObject[],
    generatedSecrets: readonly GeneratedSecret[],
    readonly options: RunnerOptions,
  ) {
    this.secrets = new Map(generatedSecrets.map((s) => [s.metadata.name, fillSecretData(s, {}).data]));
    this.baseDir = options.baseDir ?? mkdtempSync(join(tmpdir(), "chroma-mod-pod-"));
    mkdirSync(this.baseDir, { recursive: true });
    chmodSync(this.baseDir, 0o755);
  }

  /** The rendered pod spec (after `transformPod`). */
  podSpec(): PodSpec {
    const { spec } = podSpecOf(this.objects);
    return this.options.transformPod ? this.options.transformPod(spec) : spec;
  }

  /** Host directory of a PVC of this pod (created on first use, kept across restarts). */
  pvcDir(name: string): string {
    let dir = this.pvcDirs.get(name);
    if (!dir) {
      dir = join(this.baseDir, "pvc", name);
      mkdirSync(dir, { recursive: true });
      this.pvcDirs.set(name, dir);
    }
    return dir;
  }

  /** Starts the pod's containers; resolves when every probe-less container runs and every probe answers. */
  async start(): Promise<RunningPod> {
    const { claims } = podSpecOf(this.objects);
    const spec = this.podSpec();
    const maps = configMaps(this.objects);
    const startDir = join(this.baseDir, `start-${++this.starts}`);
    mkdirSync(startDir, { recursive: true });
    chmodSync(startDir, 0o755);
    const podUid = spec.securityContext?.runAsUser;
    const podGid = spec.securityContext?.runAsGroup;
    const fsGroup = spec.securityContext?.fsGroup;
    const iAmRoot = process.getuid?.() === 0;

    const runAs = (c: Container): { uid: number; gid: number } | undefined => {
      const profile = this.options.imageProfile(c.image, c.name);
      if (!profile.runAsRenderedUser || !iAmRoot) return undefined;
      const uid = c.securityContext?.runAsUser ?? podUid;
      const gid = c.securityContext?.runAsGroup ?? podGid ?? uid;
      return uid === undefined ? undefined : { uid, gid: gid! };
    };
    const anyNonRoot = spec.containers.some((c) => runAs(c) !== undefined);
    /** fsGroup emulation: group-owned, group-writable, setgid, as the kubelet prepares emptyDirs and PVCs. */
    const shareDir = (dir: string) => {
      if (iAmRoot && anyNonRoot && fsGroup !== undefined) {
        chownSync(dir, 0, fsGroup);
        chmodSync(dir, 0o2775);
      }
    };

    // Pod-level volumes shared by containers: emptyDirs (fresh per start) and PVCs (kept).
    const shared = new Map<string, string>();
    for (const v of spec.volumes ?? []) {
      if (v.emptyDir) {
        const dir = join(startDir, "emptydir", v.name);
        mkdirSync(dir, { recursive: true });
        shareDir(dir);
        shared.set(v.name, dir);
      } else if (v.persistentVolumeClaim) {
        const dir = this.pvcDir(v.persistentVolumeClaim.claimName);
        shareDir(dir);
        shared.set(v.name, dir);
      }
    }
    for (const claim of claims) {
      if (!shared.has(claim)) {
        const dir = this.pvcDir(claim);
        shareDir(dir);
        shared.set(claim, dir);
      }
    }
    const volumeByName = new Map((spec.volumes ?? []).map((v) => [v.name, v]));

    const containers = new Map<string, RunningContainer>();
    const mountsByContainer = new Map<string, Map<string, string>>();
    const workDirs = new Map<string, string>();
    const probes: ProbeTarget[] = [];

    try {
      for (const c of spec.containers) {
        const profile = this.options.imageProfile(c.image, c.name);
        const cdir = join(startDir, "containers", c.name);
        mkdirSync(cdir, { recursive: true });
        chmodSync(cdir, 0o755);
        const user = runAs(c);

        // 1. Host dir of every mount (file volumes are materialised after, once every mount path is known).
        const mounts = new Map<string, string>();
        const fileVolumes: { volume: Volume; dir: string }[] = [];
        for (const m of c.volumeMounts ?? []) {
          const volume = volumeByName.get(m.name);
          let dir = shared.get(m.name);
          if (!dir && volume && (volume.configMap || volume.secret)) {
            dir = join(cdir, "volumes", m.name);
            mkdirSync(dir, { recursive: true });
            fileVolumes.push({ volume, dir });
          }
          if (!dir) throw new PodStartError(`container ${c.name}: volume mount ${m.name} has no volume (or a kind the runner does not know)`);
          mounts.set(m.mountPath, m.subPath ? join(dir, m.subPath) : dir);
        }
        mountsByContainer.set(c.name, mounts);

        // 2. ConfigMap/Secret files, `items` honoured; ConfigMap text rewritten to this container's mounts.
        for (const { volume, dir } of fileVolumes) {
          let source: Record<string, string> | undefined;
          let items: { key: string; path: string }[] | undefined;
          let rewrite = false;
          if (volume.configMap) {
            source = maps.get(volume.configMap.name);
            items = volume.configMap.items;
            rewrite = true;
            if (!source && !volume.configMap.optional) throw new PodStartError(`volume ${volume.name}: ConfigMap ${volume.configMap.name} is not among the rendered objects`);
          } else {
            source = this.secrets.get(volume.secret!.secretName);
            items = volume.secret!.items;
            if (!source && !volume.secret!.optional) throw new PodStartError(`volume ${volume.name}: Secret ${volume.secret!.secretName} is neither generated nor given`);
          }
          const entries = items ?? Object.keys(source ?? {}).map((key) => ({ key, path: key }));
          for (const { key, path } of entries) {
            const value = source?.[key];
            if (value === undefined) throw new PodStartError(`volume ${volume.name}: key ${key} is missing`);
            const file = join(dir, path);
            mkdirSync(join(file, ".."), { recursive: true });
            writeFileSync(file, rewrite ? rewritePaths(value, mounts) : value, { mode: 0o644 });
          }
        }

        // 3. Env: image env, then the container's env in order ($(VAR) sees earlier entries), paths rewritten.
        const env: Record<string, string> = { ...profile.env };
        for (const e of c.env ?? []) {
          let value: string | undefined;
          // Rewrite the literal text, then expand $(VAR) with values already rewritten (never rewrite twice).
          if (e.value !== undefined) value = expandK8s(rewritePaths(e.value, mounts), env);
          else if (e.valueFrom?.secretKeyRef) {
            const ref = e.valueFrom.secretKeyRef;
            value = this.secrets.get(ref.name)?.[ref.key];
            if (value === undefined && !ref.optional) throw new PodStartError(`container ${c.name}: env ${e.name}: Secret ${ref.name} key ${ref.key} does not exist`);
          } else if (e.valueFrom?.configMapKeyRef) {
            const ref = e.valueFrom.configMapKeyRef;
            value = maps.get(ref.name)?.[ref.key];
            if (value === undefined && !ref.optional) throw new PodStartError(`container ${c.name}: env ${e.name}: ConfigMap ${ref.name} key ${ref.key} does not exist`);
          } else if (e.valueFrom?.fieldRef) {
            const fields: Record<string, string> = { "status.podIP": "127.0.0.1", "metadata.name": `${statefulSetOf(this.objects).metadata.name}-0` };
            value = fields[e.valueFrom.fieldRef.fieldPath];
          } else value = "";
          if (value !== undefined) env[e.name] = value;
        }

        // 4. argv: command + args, $(VAR) expanded, paths rewritten, programs mapped.
        const raw = [...(c.command ?? []), ...(c.args ?? [])];
        if (raw.length === 0) throw new PodStartError(`container ${c.name}: no command (the runner cannot know the image's entrypoint)`);
        const argv = raw.map((a) => expandK8s(rewritePaths(a, mounts), env));
        const mapProgram = (index: number) => {
          const program = argv[index]!;
          const host = profile.programs[program];
          if (!host) throw new PodStartError(`container ${c.name}: no host program for "${program}" (image ${c.image})`);
          argv[index] = host;
        };
        mapProgram(0);
        if (raw[0] === "dumb-init") {
          const sep = argv.indexOf("--");
          const index = sep >= 0 ? sep + 1 : argv.findIndex((a, i) => i > 0 && !a.startsWith("-"));
          if (index > 0 && index < argv.length && profile.programs[argv[index]!]) mapProgram(index);
        }

        // 5. Working dir: an empty dir standing in for the (read-only) image root.
        const cwd = c.workingDir ? rewritePaths(c.workingDir, mounts) : join(cdir, "cwd");
        mkdirSync(cwd, { recursive: true });
        if (user) {
          chownSync(cwd, user.uid, user.gid);
          chownSync(cdir, 0, fsGroup ?? user.gid);
        }

        const logFile = createWriteStream(join(cdir, "output.log"));
        const child = spawn(argv[0]!, argv.slice(1), {
          cwd,
          env,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
          ...(user ? { uid: user.uid, gid: user.gid } : {}),
        });
        containers.set(c.name, new RunningContainer(c.name, child, argv, env, cwd, logFile));
        workDirs.set(c.name, cwd);
        this.options.log?.(`runner: started ${c.name}: ${argv.join(" ")}`);

        const portOf = (port: string | number): number => {
          if (typeof port === "number") return port;
          const named = (c.ports ?? []).find((p) => p.name === port);
          if (!named) throw new PodStartError(`container ${c.name}: probe port "${port}" is not a named port of the container`);
          return named.containerPort;
        };
        for (const kind of ["startup", "liveness", "readiness"] as const) {
          const probe = c[`${kind}Probe`];
          if (probe?.httpGet) probes.push({ container: c.name, kind, path: probe.httpGet.path, port: portOf(probe.httpGet.port) });
        }
      }
    } catch (error) {
      await Promise.all([...containers.values()].map((c) => c.stop(2000)));
      throw error;
    }

    const pod: RunningPod = {
      containers,
      probes,
      mounts: mountsByContainer,
      workDirs,
      log: (name?: string) =>
        name ? (containers.get(name)?.log ?? "") : [...containers.values()].map((c) => `----- ${c.name} (${describeExit(c.exit)})\n${c.log}`).join("\n"),
      stop: async () => {
        const grace = this.options.graceMs ?? (spec.terminationGracePeriodSeconds ?? 30) * 1000;
        const exits = await Promise.all([...containers.values()].map(async (c) => [c.name, await c.stop(grace)] as const));
        return new Map(exits);
      },
    };

    // Readiness: startup and readiness probes of every container answer 2xx/3xx; no container may exit meanwhile.
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 90_000);
    const gates = probes.filter((p) => p.kind !== "liveness");
    try {
      for (;;) {
        const dead = [...containers.values()].find((c) => c.exit);
        if (dead) throw new PodStartError(`container ${dead.name} exited before the pod was ready (${describeExit(dead.exit)}):\n${pod.log()}`);
        const results = await Promise.all(gates.map((p) => probeOnce(p)));
        if (results.every((r) => r)) break;
        if (Date.now() > deadline) throw new PodStartError(`pod not ready after ${this.options.readyTimeoutMs ?? 90_000} ms (probes ${gates.map((p) => `${p.container}:${p.port}${p.path}`).join(", ")}):\n${pod.log()}`);
        await sleep(150);
      }
    } catch (error) {
      await pod.stop();
      throw error;
    }
    return pod;
  }

  /** Removes the pod's directories (PVCs included). */
  cleanup(): void {
    rmSync(this.baseDir, { recursive: true, force: true });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One HTTP GET of a probe: success is a 2xx/3xx answer, as for a kubelet httpGet probe. */
export async function probeOnce(p: { port: number; path: string }, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${p.port}${p.path}`, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}

/** Files a container left in its working directory (its image root is read-only in the pod). */
export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
