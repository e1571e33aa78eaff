/**
 * engine/localcluster against real processes, in private temp state dirs (never the shared cluster in
 * <cacheDir>/cluster): up from scratch and again, status, env, user kubeconfigs that RBAC forbids,
 * recycleVolumes, a killed component and a stopped one, a port taken under its feet, down, purge, and the
 * errors (binaries missing, build failing, spawn failing, timeout, lock held, openssl failing, bad PV size).
 * Binaries come from the real cache (built once by build.sh); fake caches are symlinks to them.
 */
import t from "tap";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  createUserKubeconfig,
  defaultCacheDir,
  down,
  ensureBinaries,
  env,
  localClusterPaths,
  pinnedK8sVersion,
  recycleVolumes,
  status,
  up,
  type ClusterInfo,
} from "../../engine/localcluster/cluster.ts";

const real = localClusterPaths();
const quiet = (): void => {};
const temps: string[] = [];
const tmp = (name: string): string => {
  const d = mkdtempSync(join(tmpdir(), `lc-test-${name}-`));
  temps.push(d);
  return d;
};
// Private state dirs: S is the main cluster, T the one that fails in every way.
const S = tmp("s");
const T = tmp("t");
t.teardown(async () => {
  for (const stateDir of [S, T]) await down({ stateDir, purge: true, log: quiet });
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

async function waitUntil(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function kubectl(info: ClusterInfo, args: string[], opts: { kubeconfig?: string; input?: string } = {}) {
  const r = spawnSync(info.kubectl, ["--kubeconfig", opts.kubeconfig ?? info.kubeconfig, ...args], { input: opts.input, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A cache dir whose bin dir links to the real binaries and stamps (so build.sh --check agrees with it). */
function fakeCache(name: string, opts: { stages: boolean; etcdIsDir?: boolean }): string {
  const cache = tmp(name);
  const bin = join(cache, "bin", real.k8sVersion);
  mkdirSync(bin, { recursive: true });
  for (const f of readdirSync(real.binDir)) {
    if (f.startsWith(".stamp-")) copyFileSync(join(real.binDir, f), join(bin, f));
    else if (f === "kwok-stages") {
      if (opts.stages) symlinkSync(join(real.binDir, f), join(bin, f));
    } else if (f === "etcd" && opts.etcdIsDir === true) mkdirSync(join(bin, f)); // "executable" for [[ -x ]], not for exec
    else symlinkSync(join(real.binDir, f), join(bin, f));
  }
  return cache;
}

/** Listen on `port` (no host: binds synchronously, on all addresses, so 127.0.0.1 too); errors are collected. */
function listenOn(port: number, errors: Error[]): Server {
  return createServer()
    .once("error", (e) => errors.push(e))
    .listen({ port });
}

/** Take `port` once it is free (a killed process closes its sockets just after its /proc entry empties). */
async function holdPort(port: number): Promise<Server> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const errors: Error[] = [];
    const srv = listenOn(port, errors);
    await sleep(50);
    if (errors.length === 0) return srv;
    if (Date.now() > deadline) throw errors[0];
  }
}

t.test("paths: cache dir, pinned version, default state dir", async (t) => {
  const saved = process.env["CHROMA_MOD_CACHE"];
  t.teardown(() => {
    if (saved === undefined) delete process.env["CHROMA_MOD_CACHE"];
    else process.env["CHROMA_MOD_CACHE"] = saved;
  });
  process.env["CHROMA_MOD_CACHE"] = "/somewhere/else";
  t.equal(defaultCacheDir(), "/somewhere/else");
  process.env["CHROMA_MOD_CACHE"] = "";
  t.equal(defaultCacheDir(), join(homedir(), ".cache", "chroma-mod"));
  delete process.env["CHROMA_MOD_CACHE"];
  t.equal(defaultCacheDir(), join(homedir(), ".cache", "chroma-mod"));
  t.match(pinnedK8sVersion(), /^v1\.\d+\.\d+$/);
  const p = localClusterPaths("/c");
  t.equal(p.binDir, `/c/bin/${pinnedK8sVersion()}`);
  t.equal(p.stateDir, "/c/cluster");
  t.equal(p.kubeconfig, "/c/cluster/admin.kubeconfig");
  t.equal(localClusterPaths("/c", "/s").stateFile, "/s/state.json");
});

t.test("ensureBinaries: up to date, missing with build: false, build failing, build repairing", async (t) => {
  const ok = await ensureBinaries();
  t.equal(ok.binDir, real.binDir, "build.sh --check passes on the real cache");

  const empty = tmp("empty-cache");
  const missing = /the control-plane binaries in .* are missing or stale and building was disabled \(build: false\)/;
  await t.rejects(ensureBinaries({ cacheDir: empty, build: false }), missing);
  await t.rejects(up({ cacheDir: empty, build: false, stateDir: tmp("never"), log: quiet }), missing);

  // bin is a file: build.sh --check fails, then build.sh cannot mkdir the bin dir.
  const broken = tmp("broken-cache");
  writeFileSync(join(broken, "bin"), "not a directory\n");
  const lines: string[] = [];
  await t.rejects(
    ensureBinaries({ cacheDir: broken, log: (l) => lines.push(l) }),
    /build\.sh exited with code 1 while building the control-plane binaries\. Read .*build\.log \(last lines: .*Not a directory/,
  );
  t.match(lines[0], /^building control-plane binaries into /);

  // kwok's stage files missing: build.sh restores them from the module cache and builds nothing.
  const noStages = fakeCache("no-stages-cache", { stages: false });
  const repaired = await ensureBinaries({ cacheDir: noStages, log: quiet });
  t.ok(existsSync(join(repaired.kwokStagesDir, "pod", "fast", "pod-ready.yaml")), "stage files restored");
  t.match(readFileSync(repaired.buildLog, "utf8"), /kube: up to date/);
});

t.test("before any up: status, env, users, volumes, down", async (t) => {
  const fresh = tmp("fresh");
  const s = await status({ stateDir: fresh });
  t.same(s, { running: false, ready: false, components: [], kubeconfig: join(fresh, "admin.kubeconfig"), server: null, stateDir: fresh });
  await t.rejects(env({ stateDir: fresh }), /the cluster in .* is not running\. Fix: call up\(\) first/);
  await t.rejects(recycleVolumes({ stateDir: fresh }), /is not running/);
  await t.rejects(createUserKubeconfig("someone", [], { stateDir: fresh }), /no cluster CA in .*Fix: call up\(\) first/);
  writeFileSync(join(fresh, "state.json"), JSON.stringify({ version: 2 }));
  t.equal((await status({ stateDir: fresh })).running, false, "a state file of another version is ignored");
  const gone = join(fresh, "not-there");
  await down({ stateDir: gone });
  t.notOk(existsSync(gone), "down of a state dir that does not exist creates nothing");
});

t.test("the state dir's lock: held by a live process, removed while waiting", async (t) => {
  const dir = tmp("locked");
  symlinkSync(String(process.pid), join(dir, ".lock")); // held by a live process (this one)
  const waiting = down({ stateDir: dir, log: quiet });
  await sleep(400);
  rmSync(dir, { recursive: true });
  await t.rejects(waiting, { code: "ENOENT", syscall: "symlink" });
});

t.test("failures, in state dir T", async (t) => {
  // etcd is a directory: build.sh --check is content, spawning it is not.
  const badCache = fakeCache("etcd-dir-cache", { stages: true, etcdIsDir: true });
  await t.rejects(
    up({ cacheDir: badCache, stateDir: T, log: quiet }),
    /could not start .*\/etcd\. Read .*etcd\.log \(last lines: === .*\)\. Fix: run `bash .*build\.sh`/,
  );
  t.ok(existsSync(join(T, "pki", "ca.key")) && existsSync(join(T, "pki", "sa.pub")), "certificates were made first");
  t.ok(JSON.parse(readFileSync(join(T, "state.json"), "utf8")).stoppedAt, "the failed start is recorded as stopped");

  // Nothing is ready within 1 ms (the default logger writes to stderr here).
  await t.rejects(up({ stateDir: T, timeoutMs: 1 }), /Local cluster: timed out waiting for etcd \/health\. Read .*\/logs\/etcd\.log/);
  t.equal((await status({ stateDir: T })).running, false);

  // openssl missing, then openssl refusing a corrupt CA.
  const path = process.env["PATH"];
  process.env["PATH"] = "/nonexistent";
  try {
    await t.rejects(createUserKubeconfig("nobody", [], { stateDir: T }), /`openssl req -new \.\.\.` failed in .*: spawnSync openssl ENOENT\. Fix: install openssl/);
  } finally {
    process.env["PATH"] = path;
  }
  const corrupt = tmp("corrupt-ca");
  mkdirSync(join(corrupt, "pki"));
  copyFileSync(join(T, "state.json"), join(corrupt, "state.json"));
  writeFileSync(join(corrupt, "pki", "ca.crt"), "not a certificate\n");
  writeFileSync(join(corrupt, "pki", "ca.key"), "not a key\n");
  await t.rejects(createUserKubeconfig("nobody", [], { stateDir: corrupt }), /`openssl x509 -req \.\.\.` failed in .*pki: \S/);

  // A PV size the apiserver refuses: the start stops what it started and says which request failed.
  // The 1 ms start above killed etcd while it bootstrapped (no fsync): start this one from an empty data dir,
  // as the error's own fix says, or etcd may never elect itself on a loaded machine.
  rmSync(join(T, "etcd"), { recursive: true, force: true });
  await t.rejects(
    up({ stateDir: T, pvSize: "plenty", log: quiet }),
    /PATCH \/api\/v1\/persistentvolumes\/local-pv-00\?fieldManager=\S+ answered HTTP \d+: .*quantities must match/,
  );
  const st = JSON.parse(readFileSync(join(T, "state.json"), "utf8")) as { components: { pid: number }[]; stoppedAt?: string };
  t.equal(st.components.length, 2, "etcd and kube-apiserver had started");
  t.ok(st.stoppedAt);
  t.notOk((await status({ stateDir: T })).running);

  // A lock left by a dead process is taken over.
  symlinkSync(String(spawnSync("true").pid), join(T, ".lock"));
  await down({ stateDir: T, purge: true, log: quiet });
  t.notOk(existsSync(T), "purged");
});

t.test("the main cluster, in state dir S", async (t) => {
  const logs: string[] = [];
  const t0 = Date.now();
  const first = up({ stateDir: S, pvCount: 3, log: (l) => logs.push(l) });
  // Meanwhile another up of the same state dir waits for the lock, then gives up.
  await waitUntil("the lock", () => lstatSync(join(S, ".lock"), { throwIfNoEntry: false }) !== undefined);
  await t.rejects(up({ stateDir: S, timeoutMs: 600, log: quiet }), new RegExp(`another process \\(pid ${process.pid}\\) holds .*\\.lock and did not release it within 600 ms`));
  const info = await first;
  t.comment(`up from scratch: ${Date.now() - t0} ms`);
  t.equal(info.alreadyRunning, false);
  t.equal(info.stateDir, S);
  t.equal(info.kubeconfig, join(S, "admin.kubeconfig"));
  t.equal(info.kubectl, join(real.binDir, "kubectl"));
  t.same(info.components.map((c) => c.name), ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"]);
  t.equal(new Set(Object.values(info.ports)).size, 5, "five distinct ports");
  for (const f of ["ca.crt", "apiserver.crt", "admin.key", "front-proxy-client.crt", "sa.pub"]) t.ok(existsSync(join(S, "pki", f)), f);
  t.match(logs.at(-1), /^ready in [\d.]+ s: https:\/\/127\.0\.0\.1:\d+/);

  t.test("up again is a no-op", async (t) => {
    const again = await up({ stateDir: S, log: quiet });
    t.equal(again.alreadyRunning, true);
    t.equal(again.server, info.server);
  });

  t.test("status and env", async (t) => {
    const s = await status({ stateDir: S });
    t.equal(s.running, true);
    t.equal(s.ready, true);
    t.equal(s.server, info.server);
    t.same(s.components.map((c) => c.alive), [true, true, true, true, true]);
    const text = await env({ stateDir: S });
    const sh = spawnSync("bash", ["-c", `${text}\ncommand -v kubectl; echo "$KUBECONFIG"; kubectl get nodes -o name`], { encoding: "utf8" });
    t.equal(sh.stdout, `${info.kubectl}\n${info.kubeconfig}\nnode/${info.nodeName}\n`, sh.stderr);
  });

  t.test("user kubeconfigs: no rights, groups, refusals", async (t) => {
    const alice = await createUserKubeconfig("lc-alice", [], { stateDir: S });
    t.equal(alice, join(S, "users", "lc-alice.kubeconfig"));
    const denied = kubectl(info, ["get", "pods", "-n", "default"], { kubeconfig: alice });
    t.not(denied.code, 0);
    t.match(denied.stderr, /Forbidden.*User "lc-alice" cannot list resource "pods"/);
    const bob = await createUserKubeconfig("lc:bob", ["lc:team", "lc:other"], { stateDir: S });
    const who = kubectl(info, ["auth", "whoami", "-o", "json"], { kubeconfig: bob });
    t.equal(who.code, 0, who.stderr);
    const review = JSON.parse(who.stdout) as { status: { userInfo: { username: string; groups: string[] } } };
    t.equal(review.status.userInfo.username, "lc:bob");
    t.same(review.status.userInfo.groups.sort(), ["lc:other", "lc:team", "system:authenticated"]);
    t.match(kubectl(info, ["get", "secrets", "-A"], { kubeconfig: bob }).stderr, /Forbidden/);
    await t.rejects(createUserKubeconfig("eve", ["system:masters"], { stateDir: S }), /refuses the group system:masters/);
    await t.rejects(createUserKubeconfig("eve/../x", [], { stateDir: S }), /invalid user or group name "eve\/\.\.\/x"/);
    await t.rejects(createUserKubeconfig("eve", ["x".repeat(65)], { stateDir: S }), /invalid user or group name "x{65}"\. Fix: use at most 64/);
  });

  t.test("recycleVolumes makes a Released volume Available again", async (t) => {
    t.same(await recycleVolumes({ stateDir: S }), [], "nothing released yet");
    const claim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "lc-claim", namespace: "default" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: info.storageClass },
    };
    const created = kubectl(info, ["apply", "-f", "-"], { input: JSON.stringify(claim) });
    t.equal(created.code, 0, created.stderr);
    const field = (args: string[]): string => kubectl(info, ["get", ...args]).stdout;
    await waitUntil("the claim Bound", () => field(["pvc", "lc-claim", "-n", "default", "-o", "jsonpath={.status.phase}"]) === "Bound");
    const pv = field(["pvc", "lc-claim", "-n", "default", "-o", "jsonpath={.spec.volumeName}"]);
    t.match(pv, /^local-pv-0[0-2]$/);
    const phase = (): string => field(["pv", pv, "-o", "jsonpath={.status.phase}"]);
    t.equal(kubectl(info, ["delete", "pvc", "lc-claim", "-n", "default"]).code, 0);
    await waitUntil("the volume Released", () => phase() === "Released");
    t.same(await recycleVolumes({ stateDir: S }), [pv]);
    await waitUntil("the volume Available", () => phase() === "Available");
    t.pass(`${pv} is Available again`);
  });

  t.test("a killed and a stopped component, then up with a port taken twice", async (t) => {
    const byName = (n: string) => info.components.find((c) => c.name === n)!;
    process.kill(byName("kwok").pid, "SIGSTOP"); // ignores SIGTERM until SIGKILL
    process.kill(byName("kube-scheduler").pid, "SIGKILL");
    await waitUntil("the scheduler dead", async () => (await status({ stateDir: S })).components[3]?.alive === false);
    const s = await status({ stateDir: S });
    t.equal(s.running, false);
    t.equal(s.ready, false);
    t.same(s.components.map((c) => [c.name, c.alive]), [
      ["etcd", true],
      ["kube-apiserver", true],
      ["kube-controller-manager", true],
      ["kube-scheduler", false],
      ["kwok", true],
    ]);
    await t.rejects(env({ stateDir: S }), /is not running/);

    // The dead scheduler's port is taken before up (so up picks another), etcd's right after up picked
    // it (etcd fails to bind: up retries with new ports).
    const held: Server[] = [await holdPort(info.ports.scheduler)];
    const errors: Error[] = [];
    t.teardown(() => held.forEach((s) => s.close()));
    const lines: string[] = [];
    const again = await up({
      stateDir: S,
      pvCount: 3,
      log: (l) => {
        lines.push(l);
        const m = /^starting etcd on 127\.0\.0\.1:(\d+)$/.exec(l);
        if (m && held.length === 1) held.push(listenOn(Number(m[1]), errors));
      },
    });
    t.equal(again.alreadyRunning, false);
    t.ok(lines.some((l) => /not running cleanly/.test(l)), "the leftovers were stopped");
    t.ok(lines.some((l) => l === "kwok (pid " + byName("kwok").pid + ") ignored SIGTERM for 10 s; sending SIGKILL"), "kwok was SIGKILLed");
    t.ok(lines.includes("a port was taken between picking and binding it; retrying with new ports"), lines.join("\n"));
    t.not(again.ports.scheduler, info.ports.scheduler);
    t.equal(held.length, 2);
    t.same(errors, [], "etcd's port was free when up picked it");
    const after = await status({ stateDir: S });
    t.equal(after.running, true);
    t.equal(after.ready, true);
    t.equal(kubectl(again, ["get", "nodes", "-o", "name"]).stdout, `node/${again.nodeName}\n`);
    info.components.forEach((c) => t.equal(spawnSync("kill", ["-0", String(c.pid)]).status, 1, `old ${c.name} is gone`));
  });

  t.test("down, then down --purge", async (t) => {
    const running = await status({ stateDir: S });
    await down({ stateDir: S, log: quiet });
    const s = await status({ stateDir: S });
    t.same([s.running, s.components, s.server], [false, [], null]);
    running.components.forEach((c) => t.equal(spawnSync("kill", ["-0", String(c.pid)]).status, 1, `${c.name} stopped`));
    await t.rejects(recycleVolumes({ stateDir: S }), /is not running/);
    const stoppedAt = JSON.parse(readFileSync(join(S, "state.json"), "utf8")).stoppedAt as string;
    await down({ stateDir: S });
    t.equal(JSON.parse(readFileSync(join(S, "state.json"), "utf8")).stoppedAt, stoppedAt, "a second down changes nothing");
    await down({ stateDir: S, purge: true });
    t.notOk(existsSync(S), "purged");
  });
});
