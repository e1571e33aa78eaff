/**
 * The main local cluster, in its private state dir S (never the shared cluster in <cacheDir>/cluster; the other
 * parts of localcluster/'s tests: the test/e2e/localcluster-*.test.ts beside this one): up from scratch after a
 * build slower than its start-up timeout, up again, status, env, user kubeconfigs that RBAC forbids,
 * volumes and pruneVolumes, a killed component and a stopped one, a port taken under its feet, concurrent ups taking turns
 * on the state dir's lock, down, purge. It is the only file that starts a whole cluster.
 */
import t from "tap";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createUserKubeconfig, down, env, pruneVolumes, status, up, volumes } from "../../localcluster/cluster.ts";
import { cleanUp, fakeCache, holdPort, kubectl, listenOn, quiet, real, tmp, userError, waitUntil } from "./fixtures/localcluster.ts";

const S = tmp("s");
t.teardown(() => cleanUp([S]));

// S starts from a cache whose binaries are there but whose kwok stage files are not, so up() runs build.sh; that
// build waits for the cache's build lock, which this file holds (flock -o: the lock goes with the flock process)
// until at least START_TIMEOUT_MS have passed. A build slower than the start-up timeout must not make the start
// fail (the timeout counts from the end of the build).
const START_TIMEOUT_MS = 90_000;
const slowCache = fakeCache("slow-build-cache", { stages: false });
const buildLock = join(slowCache, "bin", ".build.lock");
const lockHolder = spawn("flock", ["-o", buildLock, "sleep", "3600"], { stdio: "ignore", detached: true });
const releaseBuildLock = (): void => {
  try {
    process.kill(-lockHolder.pid!, "SIGKILL");
  } catch {
    /* already released */
  }
};
t.teardown(releaseBuildLock);
await waitUntil("the build lock held", () => spawnSync("flock", ["-n", buildLock, "true"]).status === 1, 10_000);
const mainLogs: string[] = [];
const mainStartedAt = Date.now();
const mainUp = up({ cacheDir: slowCache, stateDir: S, timeoutMs: START_TIMEOUT_MS, log: (l) => mainLogs.push(l) });
mainUp.catch(() => {}); // awaited in "the main cluster"

t.test("the main cluster, in state dir S", async (t) => {
  // Let S's build go on, once it has outlasted the start-up timeout.
  const wait = mainStartedAt + START_TIMEOUT_MS + 1000 - Date.now();
  if (wait > 0) await sleep(wait);
  const releasedAt = Date.now();
  releaseBuildLock();
  const info = await mainUp;
  const logs = mainLogs;
  t.comment(`up after a build of ${releasedAt - mainStartedAt} ms: ready ${Date.now() - releasedAt} ms after the build lock was released`);
  t.match(logs[0], /^building control-plane binaries into /, "up ran build.sh");
  t.ok(info.startupMs > START_TIMEOUT_MS, `the build and start took ${info.startupMs} ms, more than the start-up timeout of ${START_TIMEOUT_MS} ms`);
  t.ok(existsSync(join(slowCache, "bin", real.k8sVersion, "kwok-stages", "pod", "fast", "pod-ready.yaml")), "the build restored the stage files");
  t.equal(info.alreadyRunning, false);
  t.equal(info.stateDir, S);
  t.equal(info.kubeconfig, join(S, "admin.kubeconfig"));
  t.equal(info.kubectl, join(slowCache, "bin", real.k8sVersion, "kubectl"));
  t.same(
    info.components.map((c) => c.name),
    ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "local-node"],
  );
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
    t.same(
      s.components.map((c) => c.alive),
      [true, true, true, true, true, true],
    );
    // Without its admin kubeconfig nothing can ask the apiserver: running, not known ready.
    renameSync(info.kubeconfig, `${info.kubeconfig}.aside`);
    const blind = await status({ stateDir: S });
    // …and one that names another server: a request through it fails, as a local-cluster error naming the log.
    writeFileSync(info.kubeconfig, readFileSync(`${info.kubeconfig}.aside`, "utf8").replace(info.server, "https://127.0.0.1:1"));
    await userError(t, volumes({ stateDir: S }), /^Local cluster: .*127\.0\.0\.1:1/, /^The local kube-apiserver refused the request or did not answer/);
    renameSync(`${info.kubeconfig}.aside`, info.kubeconfig);
    t.same([blind.running, blind.ready], [true, false]);
    const text = await env({ cacheDir: slowCache, stateDir: S });
    const sh = spawnSync("bash", ["-c", `${text}\ncommand -v kubectl; echo "$KUBECONFIG"; kubectl get nodes -o name`], { encoding: "utf8" });
    t.equal(sh.stdout, `${info.kubectl}\n${info.kubeconfig}\nnode/${info.processNodeName}\nnode/${info.nodeName}\n`, sh.stderr);
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
    await userError(
      t,
      createUserKubeconfig("eve", ["system:masters"], { stateDir: S }),
      /refuses the group system:masters/,
      /^Use the admin kubeconfig instead\.$/,
    );
    await userError(t, createUserKubeconfig("eve/../x", [], { stateDir: S }), /invalid user or group name "eve\/\.\.\/x"/, /^Use at most 64/);
    await userError(
      t,
      createUserKubeconfig("eve", ["x".repeat(65)], { stateDir: S }),
      /^Local cluster: invalid user or group name "x{65}"\.$/,
      /^Use at most 64 letters, digits and : \. _ @ - only\.$/,
    );
  });

  t.test("a claim gets a volume of its own; deleted, its volume is Released with its data until pruneVolumes", async (t) => {
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
    t.match(pv, /^pvc-[0-9a-f-]{36}$/, "provisioned for this claim");
    const [vol] = (await volumes({ stateDir: S })).filter((v) => v.name === pv);
    t.match(vol, { phase: "Bound", capacity: "1Gi", claim: "default/lc-claim" });
    t.ok(vol!.path.startsWith(join(S, "pv")), vol!.path);
    writeFileSync(join(vol!.path, "data"), "kept");
    t.same(await pruneVolumes({ stateDir: S }), [], "nothing released yet");
    const phase = (): string => field(["pv", pv, "-o", "jsonpath={.status.phase}"]);
    t.equal(kubectl(info, ["delete", "pvc", "lc-claim", "-n", "default"]).code, 0);
    await waitUntil("the volume Released", () => phase() === "Released");
    t.equal(readFileSync(join(vol!.path, "data"), "utf8"), "kept", "Retain: the data stays");
    t.same(
      (await pruneVolumes({ stateDir: S })).map((v) => v.name),
      [pv],
    );
    t.notOk(existsSync(vol!.path), "pruned with its data");
    t.same(await volumes({ stateDir: S }), []);
  });

  t.test("volumes the node did not make are not its; one outside its pv dir loses no directory when pruned", async (t) => {
    const outside = tmp("lc-outside-");
    writeFileSync(join(outside, "data"), "mine");
    const annotations = { "pv.kubernetes.io/provisioned-by": "chroma-mod.io/local-hostpath" };
    const pv = (name: string, spec: Record<string, unknown>, withAnnotation = true) => ({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name, ...(withAnnotation ? { annotations } : {}) },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", storageClassName: "manual", ...spec },
    });
    const objects = [
      pv("lc-nfs", { nfs: { server: "127.0.0.1", path: "/exports/x" } }),
      pv("lc-foreign", { hostPath: { path: outside } }, false),
      pv("lc-outside", { hostPath: { path: outside }, claimRef: { namespace: "default", name: "gone", uid: "00000000-0000-0000-0000-000000000000" } }),
    ];
    for (const o of objects) t.equal(kubectl(info, ["apply", "-f", "-"], { input: JSON.stringify(o) }).code, 0);
    await waitUntil("lc-outside Released", () => kubectl(info, ["get", "pv", "lc-outside", "-o", "jsonpath={.status.phase}"]).stdout === "Released");
    const listed = await volumes({ stateDir: S });
    t.same(
      listed.map((v) => [v.name, v.claim, v.path]),
      [
        ["lc-nfs", "", ""],
        ["lc-outside", "default/gone", outside],
      ],
      "the node's volumes only; no claim, no host path: empty",
    );
    t.same(
      (await pruneVolumes({ stateDir: S })).map((v) => v.name),
      ["lc-outside"],
    );
    t.equal(readFileSync(join(outside, "data"), "utf8"), "mine", "a directory outside the pv dir is not deleted");
    kubectl(info, ["delete", "pv", "lc-nfs", "lc-foreign"]);
  });

  t.test("a StorageClass of an older cluster (no provisioner) is replaced at the next start", async (t) => {
    t.equal(kubectl(info, ["delete", "storageclass", "standard"]).code, 0);
    const old = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "standard" }, provisioner: "kubernetes.io/no-provisioner" };
    t.equal(kubectl(info, ["apply", "-f", "-"], { input: JSON.stringify(old) }).code, 0);
    t.pass("checked after the restart below");
  });

  t.test("a killed and a stopped component, then up with a port taken twice", async (t) => {
    const byName = (n: string) => info.components.find((c) => c.name === n)!;
    process.kill(byName("kwok").pid, "SIGSTOP"); // ignores SIGTERM until SIGKILL
    process.kill(byName("kube-scheduler").pid, "SIGKILL");
    await waitUntil("the scheduler dead", async () => (await status({ stateDir: S })).components[3]?.alive === false);
    const s = await status({ stateDir: S });
    t.equal(s.running, false);
    t.equal(s.ready, false);
    t.same(
      s.components.map((c) => [c.name, c.alive]),
      [
        ["etcd", true],
        ["kube-apiserver", true],
        ["kube-controller-manager", true],
        ["kube-scheduler", false],
        ["kwok", true],
        ["local-node", true],
      ],
    );
    await userError(t, env({ stateDir: S }), /is not running/, /cli\.ts up`$/);

    // The dead scheduler's port is taken before up (so up picks another), etcd's right after up picked
    // it (etcd fails to bind: up retries with new ports).
    const held: Server[] = [await holdPort(info.ports.scheduler)];
    const errors: Error[] = [];
    t.teardown(() => {
      for (const s of held) s.close();
    });
    const lines: string[] = [];
    const restart = up({
      stateDir: S,
      log: (l) => {
        lines.push(l);
        const m = /^starting etcd on 127\.0\.0\.1:(\d+)$/.exec(l);
        if (m && held.length === 1) held.push(listenOn(Number(m[1]), errors));
      },
    });
    // Meanwhile another up of the same state dir waits for the lock, then gives up; a third waits its turn.
    await waitUntil("the lock", () => existsSync(join(S, "state.lock.pid")));
    const waiter = up({ stateDir: S, log: quiet });
    await userError(
      t,
      up({ stateDir: S, timeoutMs: 600, log: quiet }),
      new RegExp(`^Local cluster: another process \\(pid ${process.pid}\\) holds .*\\.lock and did not release it within 600 ms\\.$`),
      new RegExp(
        `^wait for that process \\(another \`chroma-mod local up\`/\`down\` or a \`--local\` command\\) to finish, or stop it with \`kill ${process.pid}\`, then retry$`,
      ),
    );
    const again = await restart;
    t.equal(again.alreadyRunning, false);
    const turn = await waiter;
    t.same([turn.alreadyRunning, turn.server], [true, again.server], "the up that waited its turn found the cluster running");
    t.ok(
      lines.some((l) => /not running cleanly/.test(l)),
      "the leftovers were stopped",
    );
    t.ok(
      lines.some((l) => l === "kwok (pid " + byName("kwok").pid + ") ignored SIGTERM for 10 s; sending SIGKILL"),
      "kwok was SIGKILLed",
    );
    t.ok(lines.includes("a port was taken between picking and binding it; retrying with new ports"), lines.join("\n"));
    t.not(again.ports.scheduler, info.ports.scheduler);
    t.equal(held.length, 2);
    t.same(errors, [], "etcd's port was free when up picked it");
    const after = await status({ stateDir: S });
    t.equal(after.running, true);
    t.equal(after.ready, true);
    t.equal(kubectl(again, ["get", "nodes", "-o", "name"]).stdout, `node/${again.processNodeName}\nnode/${again.nodeName}\n`);
    for (const c of info.components) t.equal(spawnSync("kill", ["-0", String(c.pid)]).status, 1, `old ${c.name} is gone`);
    t.equal(
      kubectl(again, ["get", "storageclass", "standard", "-o", "jsonpath={.provisioner}"]).stdout,
      "chroma-mod.io/local-hostpath",
      "the StorageClass is the local node's again",
    );
  });

  t.test("a cluster started by a chroma-mod without the local node is started again with it", async (t) => {
    const file = join(S, "state.json");
    const st = JSON.parse(readFileSync(file, "utf8")) as { components: { name: string; pid: number }[] };
    const agent = st.components.find((c) => c.name === "local-node")!;
    process.kill(agent.pid, "SIGTERM");
    await waitUntil("the agent gone", () => spawnSync("kill", ["-0", String(agent.pid)]).status === 1, 15_000);
    writeFileSync(file, JSON.stringify({ ...st, components: st.components.filter((c) => c !== agent) }));
    const lines: string[] = [];
    const info = await up({ stateDir: S, log: (l) => lines.push(l) });
    t.equal(info.alreadyRunning, false);
    t.ok(lines.includes("the cluster runs without the local node (started by an older chroma-mod); restarting it with the local node"), lines.join("\n"));
    t.same(
      info.components.map((c) => c.name),
      ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "local-node"],
    );
  });

  t.test("down, then down --purge", async (t) => {
    const running = await status({ stateDir: S });
    await down({ stateDir: S, log: quiet });
    const s = await status({ stateDir: S });
    t.same([s.running, s.components, s.server], [false, [], null]);
    // Gone from /proc's point of view (isAlive) when down returns; reaped by this process (their parent) just after.
    for (const c of running.components) {
      await waitUntil(`${c.name} reaped`, () => spawnSync("kill", ["-0", String(c.pid)]).status === 1, 5000);
      t.pass(`${c.name} stopped`);
    }
    await userError(t, volumes({ stateDir: S }), /is not running/, /cli\.ts up`$/);
    const stoppedAt = JSON.parse(readFileSync(join(S, "state.json"), "utf8")).stoppedAt as string;
    await down({ stateDir: S });
    t.equal(JSON.parse(readFileSync(join(S, "state.json"), "utf8")).stoppedAt, stoppedAt, "a second down changes nothing");
    await down({ stateDir: S, purge: true });
    t.notOk(existsSync(S), "purged");
  });
});
