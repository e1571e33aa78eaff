/**
 * The container suite of one Chroma version: the RENDERED pod (module defaults: ports, paths, the restricted
 * security context) run as a real pod under podman + runc (pod.ts), from image/Dockerfile built for that version
 * and Debian's nginx for the 1.x proxy (build-images.sh). Called by test/containers/v*.test.ts, one per family.
 *
 *   main        the rendered command; token via Authorization (or X-Chroma-Token when that is all the version
 *               has); allowReset; the security context seen from inside every container; probes; auth as on the
 *               process runner (raw HTTP, the version's Python client, the npm client on 1.x); data kept across a
 *               container restart and across a new pod on the same volume; reset works
 *   entrypoint  the image's ENTRYPOINT (dumb-init + docker_entrypoint.sh) with the rendered command as its args;
 *               token via X-Chroma-Token (when the version has it); allowReset false refuses reset
 *   basic       basic auth (when the version has it)
 */
import t, { type Test } from "tap";
import { matrix, type MatrixVersion } from "../../module/matrix.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import { checkAuth, type Credentials, type TokenHeader } from "../chroma/features/auth.ts";
import { http, pythonClient, render, requireVenv, type ClientAuth, type Target } from "../chroma/harness.ts";
import type { PodSpec } from "../chroma/runner.ts";
import { ContainerPod, limitProblems, podman, sweepStalePods, type RunningContainerPod } from "./pod.ts";

const PYTHON_IMAGE = "localhost/chroma-mod/python:3.11-bookworm";
const NGINX_IMAGE = "localhost/chroma-mod/nginx:bookworm";
const chromaImage = (version: string) => `localhost/chroma-mod/chroma:${version}`;

/** The local image for a rendered reference: the version's Chroma image, Debian's nginx for the proxy. */
function imageFor(version: string) {
  return (rendered: string): string => {
    const name = rendered.split("@")[0]!.split(":").slice(0, -1).join(":") || rendered;
    if (name.endsWith("/chroma")) return chromaImage(version);
    if (name.includes("nginx")) return NGINX_IMAGE;
    throw new Error(`no local image stands in for ${rendered}`);
  };
}

/** The pod as the image runs it: no `command`, the rendered command line (minus its dumb-init) as args. */
function viaImageEntrypoint(spec: PodSpec): PodSpec {
  const c = spec.containers.find((x) => x.name === "chroma")!;
  const rendered = [...(c.command ?? []), ...(c.args ?? [])];
  c.args = rendered[0] === "dumb-init" ? rendered.slice(rendered.indexOf("--") + 1) : rendered;
  delete c.command;
  return spec;
}

interface Started {
  readonly pod: ContainerPod;
  readonly version: MatrixVersion;
}

function newPod(version: MatrixVersion, tag: string, values: ValuesInput, transformPod?: (s: PodSpec) => PodSpec): Started {
  const instance = render({ ...values, chromadb: { ...values.chromadb, apiVersion: version } });
  const pod = new ContainerPod(instance.objects, instance.generatedSecrets, {
    image: imageFor(version),
    name: `chroma-mod-test-${version.replaceAll(".", "-")}-${tag}-${process.pid}`,
    readyTimeoutMs: 180_000,
    ...(transformPod ? { transformPod } : {}),
  });
  t.teardown(() => {
    if (process.env.CHROMA_MOD_KEEP_PODS !== "1") pod.cleanup();
  });
  return { pod, version };
}

/** The port clients use: the container port named http (the Service's target). */
function serviceTarget(running: RunningContainerPod, spec: PodSpec): Target {
  const port = spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === "http");
  return { host: running.ip, port: port!.containerPort };
}

/** Starts, runs `body`, always stops (asserting a clean stop) and prints the logs when something failed. */
async function withRunning(t: Test, started: Started, label: string, body: (running: RunningContainerPod) => Promise<void>): Promise<void> {
  const running = await started.pod.start();
  const failuresBefore = t.counts.fail;
  try {
    await body(running);
  } finally {
    if (t.counts.fail > failuresBefore) t.comment(`${label}: pod logs\n${await running.logs()}`);
    const exits = await running.stop();
    for (const [name, code] of exits) t.ok(code === 0 || code === 143, `${label}: container ${name} stops cleanly on its stop signal (exit ${code})`);
  }
}

/** What the kubelet applied, seen from inside each container of the pod (its PID 1 and a shell exec'd beside it). */
async function securityContextTest(t: Test, running: RunningContainerPod, spec: PodSpec): Promise<void> {
  await t.test("restricted security context, as rendered, applied and in effect", async (t) => {
    const pod = spec as PodSpec & { securityContext: { runAsUser: number; runAsGroup: number; fsGroup: number } };
    for (const c of spec.containers) {
      const state = await running.inspect(c.name);
      t.ok(state.HostConfig.ReadonlyRootfs, `${c.name}: read-only root filesystem`);
      t.ok(
        (state.HostConfig.SecurityOpt ?? []).some((o) => o.startsWith("no-new-privileges")),
        `${c.name}: no-new-privileges`,
      );
      const id = await running.exec(c.name, ["id", "-u"]);
      t.equal(id.stdout.trim(), String(pod.securityContext.runAsUser), `${c.name}: runs as uid ${pod.securityContext.runAsUser}`);
      const groups = await running.exec(c.name, ["id", "-G"]);
      t.ok(groups.stdout.trim().split(" ").includes(String(pod.securityContext.fsGroup)), `${c.name}: has fsGroup ${pod.securityContext.fsGroup}`, {
        groups: groups.stdout,
      });
      const status = await running.exec(c.name, ["cat", "/proc/1/status"]);
      const field = (k: string) => new RegExp(`^${k}:\\s*(\\S+)`, "m").exec(status.stdout)?.[1];
      t.equal(field("Uid"), String(pod.securityContext.runAsUser), `${c.name}: its main process runs as uid ${pod.securityContext.runAsUser}`);
      t.equal(field("CapEff"), "0000000000000000", `${c.name}: its main process has no capabilities`);
      t.equal(field("CapBnd"), "0000000000000000", `${c.name}: nor can it gain any (empty bounding set)`);
      t.equal(field("NoNewPrivs"), "1", `${c.name}: no_new_privs is set`);
      t.equal(field("Seccomp"), "2", `${c.name}: a seccomp filter (RuntimeDefault) is on`);
      const root = await running.exec(c.name, ["sh", "-c", "echo x > /chroma-mod-write-test"]);
      t.not(root.code, 0, `${c.name}: writing to / is refused`);
      t.match(root.stderr, /Read-only file system/, `${c.name}: because the root filesystem is read-only`);
      for (const m of c.volumeMounts ?? []) {
        const v = (spec.volumes ?? []).find((x) => x.name === m.name);
        if (m.readOnly || v?.configMap || v?.secret) continue;
        const w = await running.exec(c.name, ["sh", "-c", `echo x > '${m.mountPath}/.chroma-mod-write-test' && rm '${m.mountPath}/.chroma-mod-write-test'`]);
        t.equal(w.code, 0, `${c.name}: ${m.mountPath} (volume ${m.name}) is writable`, { stderr: w.stderr });
      }
    }
  });
}

async function probesAnswer(t: Test, running: RunningContainerPod): Promise<void> {
  await t.test("probes", async (t) => {
    t.ok(
      running.probes.some((p) => p.kind === "readiness"),
      "the pod has a readiness probe",
    );
    for (const p of running.probes) {
      const res = await http({ host: running.ip, port: p.port }, p.path);
      t.equal(res.status, 200, `${p.container} ${p.kind} probe GET ${running.ip}:${p.port}${p.path} → 200`);
    }
  });
}

async function step(version: string, target: Target, s: Parameters<typeof pythonClient>[2][number]) {
  return (await pythonClient(version, target, [s])).get(s.name)!;
}

function tokenOf(pod: ContainerPod, header: TokenHeader): Credentials {
  return { kind: "token", header, token: [...pod.secrets.values()][0]!.token! };
}

async function mainPod(version: MatrixVersion, header: TokenHeader | null): Promise<void> {
  await t.test(`Chroma ${version} in containers: the rendered command${header ? `, token via ${header}` : ""}, allowReset, data on the volume`, async (t) => {
    const started = newPod(version, "main", {
      chromadb: { auth: header ? { enabled: true, type: "token", token: { tokenHeader: header } } : { enabled: false }, allowReset: true, isPersistent: true },
    });
    const right = header ? tokenOf(started.pod, header) : null;
    const auth = right as ClientAuth;
    const spec = started.pod.podSpec();
    await withRunning(t, started, "main, first pod", async (running) => {
      const target = serviceTarget(running, spec);
      await securityContextTest(t, running, spec);
      await probesAnswer(t, running);
      if (right) await t.test(`auth: token via ${header}`, (t) => checkAuth(t, version, target, right, "ctr_main"));
      const write = await step(version, target, { name: "write", op: "write", collection: "kept", auth });
      t.ok(write.ok, "wrote a collection of 3 records", { error: write.error, trace: write.trace });
      await running.restart("chroma");
      const state = await running.inspect("chroma");
      t.ok(state.State.Running, "the chroma container runs again after a restart");
      const read = await step(version, target, { name: "read", op: "read", collection: "kept", auth });
      t.same(read.result, { exists: true, count: 3, nearest: ["a", "b"] }, "the data survived the container restart (same volume)", { error: read.error });
    });
    await withRunning(t, started, "main, second pod", async (running) => {
      const target = serviceTarget(running, spec);
      const read = await step(version, target, { name: "read", op: "read", collection: "kept", auth });
      t.same(read.result, { exists: true, count: 3, nearest: ["a", "b"] }, "a new pod on the same volume serves the data", { error: read.error });
      const reset = await pythonClient(version, target, [
        { name: "reset", op: "reset", auth },
        { name: "read", op: "read", collection: "kept", auth },
      ]);
      t.same(reset.get("reset")!.result, { reset: true }, "allowReset true: reset() → True", { error: reset.get("reset")!.error });
      t.equal(reset.get("read")!.result?.exists, false, "the data is gone after reset");
    });
  });
}

async function entrypointPod(version: MatrixVersion, header: TokenHeader | null): Promise<void> {
  await t.test(
    `Chroma ${version} in containers: the image's ENTRYPOINT with the rendered command as args${header ? `, token via ${header}` : ""}, allowReset false`,
    async (t) => {
      const started = newPod(
        version,
        "entry",
        {
          chromadb: {
            auth: header ? { enabled: true, type: "token", token: { tokenHeader: header } } : { enabled: false },
            allowReset: false,
            isPersistent: true,
          },
        },
        viaImageEntrypoint,
      );
      const right = header ? tokenOf(started.pod, header) : null;
      const auth = right as ClientAuth;
      const spec = viaImageEntrypoint(started.pod.podSpec());
      await withRunning(t, started, "entrypoint", async (running) => {
        const target = serviceTarget(running, spec);
        const cmdline = await running.exec("chroma", ["cat", "/proc/1/cmdline"]);
        t.match(
          cmdline.stdout.replaceAll("\0", " "),
          /^dumb-init -- \/docker_entrypoint\.sh /,
          "PID 1 is the image's ENTRYPOINT: dumb-init running docker_entrypoint.sh",
        );
        await securityContextTest(t, running, spec);
        await probesAnswer(t, running);
        if (right) await t.test(`auth: token via ${header}`, (t) => checkAuth(t, version, target, right, "ctr_entry"));
        const results = await pythonClient(version, target, [
          { name: "write", op: "write", collection: "untouched", auth },
          { name: "reset", op: "reset", auth },
          { name: "read", op: "read", collection: "untouched", auth },
        ]);
        const reset = results.get("reset")!;
        t.notOk(reset.ok && reset.result?.reset === true, "allowReset false: reset() does not succeed", { result: reset.result });
        t.match(reset.error ?? "", /reset/i, "the server says reset is not allowed", { error: reset.error });
        t.equal(results.get("read")!.result?.count, 3, "the data is untouched");
      });
    },
  );
}

async function basicPod(version: MatrixVersion): Promise<void> {
  await t.test(`Chroma ${version} in containers: basic auth`, async (t) => {
    const started = newPod(version, "basic", { chromadb: { auth: { enabled: true, type: "basic", basic: { username: "chroma-user" } } } });
    const secret = [...started.pod.secrets.values()][0]!;
    const right: Credentials = { kind: "basic", username: secret.username!, password: secret.password! };
    await withRunning(t, started, "basic", async (running) => {
      await probesAnswer(t, running);
      await t.test("auth: basic", (t) => checkAuth(t, version, serviceTarget(running, started.pod.podSpec()), right, "ctr_basic"));
    });
  });
}

/** The pod without one of its volumes (and the mounts of it). */
const withoutVolume =
  (volume: string) =>
  (spec: PodSpec): PodSpec => {
    spec.volumes = (spec.volumes ?? []).filter((v) => v.name !== volume);
    for (const c of spec.containers) c.volumeMounts = (c.volumeMounts ?? []).filter((m) => m.name !== volume);
    return spec;
  };

/**
 * The pods with the auth proxy (every version with auth): each writable emptyDir the module renders is what the
 * read-only root needs, shown by taking it away. Chroma 1.x's SQLite needs a temporary directory (without /tmp,
 * `chroma run` panics at start: "disk I/O error", SQLITE_IOERR_GETTEMPPATH); the proxy's start script writes its
 * token map and nginx its temp files under /tmp. The 0.x servers ran the suite's checks without /tmp (the module
 * mounts it anyway, as HOME and for Python's tempfile), so that case is 1.x's only.
 */
async function writableMountsNeeded(version: MatrixVersion): Promise<void> {
  await t.test(`Chroma ${version} in containers: the rendered writable mounts are what the read-only root needs`, async (t) => {
    const cases = [
      ...(version.startsWith("1.") ? [{ volume: "tmp", container: "chroma", why: /disk I\/O error/, says: "SQLite: disk I/O error" }] : []),
      { volume: "proxy-tmp", container: "auth-proxy", why: /Read-only file system/, says: "Read-only file system" },
    ];
    for (const { volume, container, why, says } of cases) {
      const started = newPod(version, `no-${volume}`, { chromadb: { auth: { enabled: true, type: "token" } } }, withoutVolume(volume));
      await t.rejects(started.pod.start(), why, `without the ${volume} emptyDir, ${container} cannot start ("${says}")`);
    }
  });
}

/** The images this version's suite runs (build-images.sh builds them), and the version's venv (its Python client). */
async function prerequisites(version: MatrixVersion): Promise<string[]> {
  const missing: string[] = limitProblems();
  for (const image of [PYTHON_IMAGE, NGINX_IMAGE, chromaImage(version)]) {
    if ((await podman(["image", "exists", image])).code !== 0) missing.push(`image ${image} (run test/containers/build-images.sh ${version})`);
  }
  try {
    requireVenv(version);
  } catch (error) {
    missing.push((error as Error).message);
  }
  return missing;
}

export async function containerSuite(version: MatrixVersion): Promise<void> {
  const row = matrix[version];
  const tokenA = row.tokenAuthorization.support === "yes";
  const tokenX = row.tokenXChromaToken.support === "yes";
  await sweepStalePods();
  const missing = await prerequisites(version);
  t.test(`Chroma ${version} in containers: prerequisites (images, the version's Python client)`, async (t) => {
    t.same(missing, [], "everything the suite runs is built");
  });
  if (missing.length > 0) return;
  await mainPod(version, tokenA ? "Authorization" : tokenX ? "X-Chroma-Token" : null);
  await entrypointPod(version, tokenX ? "X-Chroma-Token" : tokenA ? "Authorization" : null);
  if (row.basicAuth.support === "yes") await basicPod(version);
  if (row.authProxy.support === "yes") await writableMountsNeeded(version);
}
