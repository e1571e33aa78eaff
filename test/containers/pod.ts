/**
 * Runs a RENDERED pod under a real container runtime (podman + runc, test/containers/podman.sh), the way a kubelet
 * would run it:
 *
 * - one `podman pod` per start: its infra container holds the network namespace every container joins (the pod
 *   gets an IP on podman's bridge, which the host reaches directly, as a cluster reaches a pod IP);
 * - each container from its local image (`image` maps the rendered reference), `command` as the ENTRYPOINT and
 *   `args` as the CMD (Kubernetes' rule), env `value`/`valueFrom`/`envFrom` resolved from the rendered ConfigMaps and
 *   the generated Secrets, `$(VAR)` expanded (localcluster/node/runner/command.ts, the node's own code);
 * - volumes: emptyDirs are fresh directories on a tmpfs (/dev/shm) per start, shared by the containers that mount
 *   them; ConfigMap/Secret volumes are files (items and modes honoured) mounted read-only; a PVC is a directory
 *   kept across starts; emptyDirs and PVCs get the kubelet's fsGroup treatment (group-owned, setgid, group-writable)
 *   and every container gets fsGroup as a supplementary group;
 * - the rendered security context as the kubelet applies it: runAsUser/runAsGroup (container over pod),
 *   runAsNonRoot (refused when the container would run as root), readOnlyRootFilesystem (podman's own tmpfs mounts
 *   turned off, so only the rendered writable mounts are writable), capabilities drop/add, allowPrivilegeEscalation
 *   false → no_new_privs, seccompProfile (RuntimeDefault → the runtime's default profile; none → Unconfined, the
 *   kubelet's default);
 * - readiness: the rendered startup and readiness httpGet probes against the pod IP; stop: `podman pod stop` with
 *   the rendered grace period.
 */
import { spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GeneratedSecret, KubeObject } from "../../core/types.ts";
import { issueCertificate } from "../../engine/apply/certificate.ts";
import { fillSecretData } from "../../engine/apply/generated.ts";
import { containerEnv, type EnvSources } from "../../localcluster/node/runner/command.ts";
import { expandK8s } from "../../localcluster/node/runner/expand.ts";
import { PodStartError, type Container, type PodSpec, type Volume } from "../../localcluster/node/runner/pod-spec.ts";
import { probeOnce, probeTargets, sleep, type ProbeTarget } from "../../localcluster/node/runner/probes.ts";
import { configMaps, podSpecOf, statefulSetOf } from "../chroma/runner.ts";

const here = dirname(fileURLToPath(import.meta.url));
const PODMAN = join(here, "podman.sh");

/** The securityContext fields the runner applies (pod- and container-level). */
interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  fsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: string; localhostProfile?: string };
}
type Spec = PodSpec & { securityContext?: SecurityContext; hostname?: string };
type RenderedContainer = Container & {
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
};

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** podman (through podman.sh) with `args`; never throws on a non-zero exit. */
export function podman(args: readonly string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(PODMAN, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** podman `args`, throwing with its stderr when it fails. */
async function podmanOk(args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await podman(args, timeoutMs);
  if (r.code !== 0) throw new PodStartError(`podman ${args.join(" ")} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** The ulimits test/containers/containers.conf gives every container: podman cannot raise its own hard limits. */
const CONTAINER_LIMITS = { "Max open files": 8192, "Max processes": 4096 } as const;

/** Why containers cannot start on this machine (hard limits below containers.conf's default_ulimits), or nothing. */
export function limitProblems(limits: string = readFileSync("/proc/self/limits", "utf8")): string[] {
  const problems: string[] = [];
  for (const [name, needed] of Object.entries(CONTAINER_LIMITS)) {
    const hard = new RegExp(`^${name}\\s+\\S+\\s+(\\S+)`, "m").exec(limits)?.[1];
    if (hard !== undefined && hard !== "unlimited" && Number(hard) < needed) {
      problems.push(
        `the hard limit "${name}" is ${hard} here, below the ${needed} test/containers/containers.conf gives each container (raise it with ulimit -H or lower default_ulimits there)`,
      );
    }
  }
  return problems;
}

/** Pods a test process created and left behind (it was killed): removed when their owner is gone. */
export async function sweepStalePods(): Promise<void> {
  const out = await podman(["pod", "ps", "--filter", "label=chroma-mod.test-owner", "--format", '{{.Name}} {{index .Labels "chroma-mod.test-owner"}}']);
  for (const line of out.stdout.split("\n")) {
    const [name, pid] = line.trim().split(" ");
    if (!name || !pid) continue;
    let alive = true;
    try {
      process.kill(Number(pid), 0);
    } catch {
      alive = false;
    }
    if (!alive) await podman(["pod", "rm", "--force", "--time", "0", name]);
  }
}

export interface ContainerPodOptions {
  /** The local image standing in for a rendered image reference (the registries are not reachable here). */
  readonly image: (rendered: string) => string;
  /** A name unique on the machine (the pod is named `<name>-<start>`). */
  readonly name: string;
  /** Transforms the pod spec before running it (the image's ENTRYPOINT with the rendered command as args). */
  readonly transformPod?: (spec: PodSpec) => PodSpec;
  readonly readyTimeoutMs?: number;
}

/** What `podman inspect` says of a container (the fields the tests read). */
interface ContainerState {
  readonly Config: { User: string };
  readonly HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[] | null; CapAdd: string[] | null; SecurityOpt: string[] | null; GroupAdd: string[] | null };
  readonly State: { Status: string; ExitCode: number; Running: boolean };
  readonly RestartCount: number;
}

export interface RunningContainerPod {
  /** The pod's IP on podman's bridge network. */
  readonly ip: string;
  readonly podName: string;
  /** Every rendered probe, resolved to a port of the pod. */
  readonly probes: readonly ProbeTarget[];
  /** Full container name of a rendered container. */
  containerName(container: string): string;
  inspect(container: string): Promise<ContainerState>;
  exec(container: string, argv: readonly string[]): Promise<Run>;
  logs(container?: string): Promise<string>;
  /** `podman restart` of one container (same container, same volumes), then the pod's readiness again. */
  restart(container: string): Promise<void>;
  /** Stops every container (the rendered grace period), then removes the pod; resolves with each exit code. */
  stop(): Promise<Map<string, number>>;
}

/** `host` port opener for the probes: a TCP connection to the pod IP. */
function connector(ip: string) {
  return (port: number) =>
    new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: ip, port }, () => resolve(s));
      s.once("error", reject);
    });
}

/** The user a container runs as: its securityContext over the pod's, else the image's USER. */
function effectiveUser(c: RenderedContainer, pod: SecurityContext, imageUser: string): { uid: number | undefined; gid: number | undefined } {
  const uid = c.securityContext?.runAsUser ?? pod.runAsUser;
  const gid = c.securityContext?.runAsGroup ?? pod.runAsGroup;
  if (uid !== undefined) return { uid, gid };
  const [u, g] = imageUser.split(":");
  return { uid: u && /^\d+$/.test(u) ? Number(u) : u ? Number.NaN : 0, gid: g && /^\d+$/.test(g) ? Number(g) : gid };
}

/** The podman create flags of a container's security context, as the kubelet applies it. */
function securityFlags(c: RenderedContainer, pod: SecurityContext, imageUser: string): string[] {
  const sc = c.securityContext ?? {};
  const flags: string[] = [];
  const { uid, gid } = effectiveUser(c, pod, imageUser);
  const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
  if (nonRoot && (uid === 0 || Number.isNaN(uid))) {
    throw new PodStartError(
      `container ${c.name}: runAsNonRoot and the image will run as ${uid === 0 ? "root" : `non-numeric user "${imageUser}"`} (the kubelet refuses it)`,
    );
  }
  if (c.securityContext?.runAsUser !== undefined || pod.runAsUser !== undefined) flags.push("--user", gid === undefined ? `${uid}` : `${uid}:${gid}`);
  else if (gid !== undefined) flags.push("--user", `${imageUser.split(":")[0] || "0"}:${gid}`);
  if (pod.fsGroup !== undefined) flags.push("--group-add", String(pod.fsGroup));
  if (sc.readOnlyRootFilesystem) flags.push("--read-only", "--read-only-tmpfs=false");
  for (const cap of sc.capabilities?.drop ?? []) flags.push(`--cap-drop=${cap.toLowerCase() === "all" ? "all" : cap}`);
  for (const cap of sc.capabilities?.add ?? []) flags.push(`--cap-add=${cap}`);
  if (sc.privileged) flags.push("--privileged");
  if (sc.allowPrivilegeEscalation === false) flags.push("--security-opt", "no-new-privileges");
  const seccomp = sc.seccompProfile ?? pod.seccompProfile;
  if (!seccomp || seccomp.type === "Unconfined") flags.push("--security-opt", "seccomp=unconfined");
  else if (seccomp.type !== "RuntimeDefault")
    throw new PodStartError(`container ${c.name}: seccompProfile ${seccomp.type} is not supported by the test runner`);
  return flags;
}

/** One rendered pod identity run as containers; PVC data is kept across `start()` calls. */
export class ContainerPod {
  readonly baseDir: string;
  readonly secrets: Map<string, Record<string, string>>;
  private readonly spec: Spec;
  private readonly claims: string[];
  private readonly maps: Map<string, Record<string, string>>;
  private readonly stsName: string;
  private starts = 0;
  private readonly shmDir: string;

  constructor(
    objects: readonly KubeObject[],
    generatedSecrets: readonly GeneratedSecret[],
    readonly options: ContainerPodOptions,
  ) {
    this.baseDir = mkdtempSync(join(tmpdir(), "chroma-mod-ctr-"));
    chmodSync(this.baseDir, 0o755);
    const shm = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
    this.shmDir = mkdtempSync(join(shm, "chroma-mod-ctr-"));
    const { spec, claims } = podSpecOf(objects);
    this.spec = spec as Spec;
    this.claims = claims;
    this.maps = configMaps(objects);
    this.stsName = statefulSetOf(objects).metadata.name;
    this.secrets = new Map(generatedSecrets.map((s) => [s.metadata.name, fillSecretData(s, {}, issueCertificate).data]));
  }

  /** A copy of the rendered pod spec (before `transformPod`). */
  podSpec(): PodSpec {
    return structuredClone(this.spec);
  }

  /** Host directory of a claim (kept across starts). */
  claimDir(claim: string): string {
    return join(this.baseDir, "pvc", claim);
  }

  /** kubelet's fsGroup on a writable volume: root:fsGroup, group-writable, setgid. */
  private fsGroupDir(dir: string, mode: number): void {
    mkdirSync(dir, { recursive: true });
    const fsGroup = this.spec.securityContext?.fsGroup;
    if (fsGroup !== undefined) {
      chownSync(dir, 0, fsGroup);
      chmodSync(dir, mode | 0o2070);
    } else chmodSync(dir, mode);
  }

  /** Files of a ConfigMap/Secret volume (items and modes; with fsGroup: root:fsGroup and group-readable, as the kubelet). */
  private fileVolume(v: Volume, dir: string): void {
    const ref = v.configMap ?? v.secret!;
    const name = v.configMap ? v.configMap.name : v.secret!.secretName;
    const source = (v.configMap ? this.maps : this.secrets).get(name);
    if (!source && !ref.optional) throw new PodStartError(`volume ${v.name}: ${v.configMap ? "ConfigMap" : "Secret"} ${name} does not exist`);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    const fsGroup = this.spec.securityContext?.fsGroup;
    const entries = ref.items ?? Object.keys(source ?? {}).map((key) => ({ key, path: key, mode: undefined }));
    for (const { key, path, mode } of entries) {
      const value = source?.[key];
      if (value === undefined) throw new PodStartError(`volume ${v.name}: key ${key} is missing`);
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, value);
      let m = mode ?? ref.defaultMode ?? 0o644;
      if (fsGroup !== undefined) {
        chownSync(file, 0, fsGroup);
        m |= 0o440;
      }
      chmodSync(file, m);
    }
  }

  /** Volume name → host directory, for this start. */
  private volumes(start: number): Map<string, { dir: string; readOnly: boolean }> {
    const out = new Map<string, { dir: string; readOnly: boolean }>();
    for (const v of this.spec.volumes ?? []) {
      if (v.emptyDir) {
        const dir = join(this.shmDir, `start-${start}`, v.name);
        this.fsGroupDir(dir, 0o777);
        out.set(v.name, { dir, readOnly: false });
      } else if (v.persistentVolumeClaim) {
        const dir = this.claimDir(v.persistentVolumeClaim.claimName);
        this.fsGroupDir(dir, 0o755);
        out.set(v.name, { dir, readOnly: false });
      } else if (v.configMap || v.secret) {
        const dir = join(this.baseDir, `start-${start}`, "volumes", v.name);
        this.fileVolume(v, dir);
        out.set(v.name, { dir, readOnly: true });
      } else throw new PodStartError(`volume ${v.name}: a kind the test runner does not know`);
    }
    for (const claim of this.claims) {
      if (out.has(claim)) continue;
      const dir = this.claimDir(claim);
      this.fsGroupDir(dir, 0o755);
      out.set(claim, { dir, readOnly: false });
    }
    return out;
  }

  /** The `podman create` argv of one container. */
  private async createArgs(
    c: RenderedContainer,
    pod: string,
    volumes: ReadonlyMap<string, { dir: string; readOnly: boolean }>,
    sources: EnvSources,
  ): Promise<string[]> {
    const image = this.options.image(c.image);
    const imageUser = (await podmanOk(["image", "inspect", "--format", "{{.Config.User}}", image])).trim();
    const env = containerEnv(c, { env: {}, programs: {} }, new Map(), sources);
    const args = ["create", "--pod", pod, "--name", `${pod}-${c.name}`, "--pull=never"];
    args.push("--stop-timeout", String(this.spec.terminationGracePeriodSeconds ?? 30));
    args.push(...securityFlags(c, this.spec.securityContext ?? {}, imageUser));
    for (const [k, v] of Object.entries(env)) args.push("--env", `${k}=${v}`);
    for (const m of c.volumeMounts ?? []) {
      const v = volumes.get(m.name);
      if (!v) throw new PodStartError(`container ${c.name}: volume mount ${m.name} has no volume`);
      const source = m.subPath ? join(v.dir, m.subPath) : v.dir;
      args.push("--volume", `${source}:${m.mountPath}${m.readOnly || v.readOnly ? ":ro" : ""}`);
    }
    if (c.workingDir) args.push("--workdir", c.workingDir);
    const expand = (a: string) => expandK8s(a, env);
    // Kubernetes: command replaces the ENTRYPOINT (and drops the image's CMD), args replace the CMD.
    if (c.command) args.push("--entrypoint", JSON.stringify(c.command.map(expand)));
    args.push(image, ...(c.args ?? []).map(expand));
    return args;
  }

  /** Creates and starts the pod; resolves when every startup and readiness probe answers. */
  async start(): Promise<RunningContainerPod> {
    const n = ++this.starts;
    const spec = (this.options.transformPod ? this.options.transformPod(structuredClone(this.spec)) : structuredClone(this.spec)) as Spec;
    const podName = `${this.options.name}-${n}`;
    const volumes = this.volumes(n);
    const sources: EnvSources = { maps: this.maps, secrets: this.secrets, podName: `${this.stsName}-0` };
    await podmanOk(["pod", "create", "--name", podName, "--hostname", `${this.stsName}-0`, "--label", `chroma-mod.test-owner=${process.pid}`]);
    const pod = this.running(podName, spec);
    try {
      for (const c of spec.initContainers ?? []) {
        await podmanOk(await this.createArgs(c, podName, volumes, sources));
        const r = await podman(["start", "--attach", `${podName}-${c.name}`], 600_000);
        if (r.code !== 0) throw new PodStartError(`init container ${c.name} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
      }
      for (const c of spec.containers) await podmanOk(await this.createArgs(c, podName, volumes, sources));
      await podmanOk(["pod", "start", podName]);
      const infra = (await podmanOk(["pod", "inspect", "--format", "{{.InfraContainerID}}", podName])).trim();
      pod.ip = (await podmanOk(["inspect", "--format", "{{.NetworkSettings.IPAddress}}", infra])).trim();
      if (!pod.ip) throw new PodStartError(`pod ${podName} has no IP on podman's network`);
      await this.waitReady(pod, spec);
      return pod;
    } catch (error) {
      const logs = await pod.logs().catch(() => "");
      await podman(["pod", "rm", "--force", "--time", "0", podName]);
      if (error instanceof PodStartError) throw new PodStartError(`${error.message}\n${logs}`);
      throw error;
    }
  }

  private running(podName: string, spec: Spec): RunningContainerPod & { ip: string } {
    const name = (c: string) => `${podName}-${c}`;
    const probes = spec.containers.flatMap((c) => probeTargets(c));
    const grace = String(spec.terminationGracePeriodSeconds ?? 30);
    const pod: RunningContainerPod & { ip: string } = {
      ip: "",
      podName,
      probes,
      containerName: name,
      async inspect(c) {
        return (JSON.parse(await podmanOk(["inspect", name(c)])) as ContainerState[])[0]!;
      },
      exec: (c, argv) => podman(["exec", name(c), ...argv]),
      async logs(c?: string) {
        const names = c ? [c] : spec.containers.map((x) => x.name);
        const parts = await Promise.all(
          names.map(async (x) => {
            const r = await podman(["logs", name(x)]);
            return `----- ${x}\n${r.stdout}${r.stderr}`;
          }),
        );
        return parts.join("\n");
      },
      restart: async (c) => {
        // The pod's network namespace (and so its IP) belongs to the infra container: it outlives the restart.
        await podmanOk(["restart", "--time", grace, name(c)], 300_000);
        await this.waitReady(pod, spec);
      },
      async stop() {
        await podman(["pod", "stop", "--time", grace, podName], 300_000);
        const exits = new Map<string, number>();
        for (const c of spec.containers) {
          const r = await podman(["inspect", "--format", "{{.State.ExitCode}}", name(c.name)]);
          exits.set(c.name, Number(r.stdout.trim()));
        }
        await podman(["pod", "rm", "--force", "--time", "0", podName]);
        return exits;
      },
    };
    return pod;
  }

  /** Every startup and readiness probe answers 2xx/3xx; a container that exits first fails the start. */
  private async waitReady(pod: RunningContainerPod, spec: Spec): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 120_000);
    const gates = pod.probes.filter((p) => p.kind !== "liveness");
    const open = connector(pod.ip);
    for (;;) {
      for (const c of spec.containers) {
        const state = (await podmanOk(["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", pod.containerName(c.name)])).trim();
        if (!state.startsWith("running")) throw new PodStartError(`container ${c.name} is ${state} before the pod was ready:\n${await pod.logs()}`);
      }
      const results = await Promise.all(gates.map((p) => probeOnce(p, 2000, open)));
      if (results.every(Boolean)) return;
      if (Date.now() > deadline)
        throw new PodStartError(`pod ${pod.podName} not ready after ${this.options.readyTimeoutMs ?? 120_000} ms:\n${await pod.logs()}`);
      await sleep(300);
    }
  }

  /** Removes the pod's directories (PVC data included). */
  cleanup(): void {
    rmSync(this.baseDir, { recursive: true, force: true });
    rmSync(this.shmDir, { recursive: true, force: true });
  }
}
