/**
 * The runner itself, without Chroma: path rewriting, $(VAR) expansion, and a synthetic pod (sh containers) that
 * shows env/volume resolution, `items`, emptyDir vs PVC across a restart, per-container mounts and SIGTERM/kill.
 */
import t from "tap";
import { readFileSync } from "node:fs";
import type { KubeObject } from "../../core/types.ts";
import { expandK8s, PodRunner, rewritePaths } from "./runner.ts";

t.test("rewritePaths: whole path components only, longest mount first, one pass", async (t) => {
  const mounts = new Map([
    ["/tmp", "/tmp/pod/tmp"],
    ["/etc/chroma", "/tmp/pod/config"],
    ["/etc/chroma-auth", "/tmp/pod/auth"],
    ["/data", "/tmp/pod/data"],
  ]);
  t.equal(rewritePaths("pid /tmp/nginx/nginx.pid;", mounts), "pid /tmp/pod/tmp/nginx/nginx.pid;");
  t.equal(rewritePaths("auth_basic_user_file /etc/chroma-auth/htpasswd;", mounts), "auth_basic_user_file /tmp/pod/auth/htpasswd;");
  t.equal(rewritePaths("/etc/chroma/config.yaml", mounts), "/tmp/pod/config/config.yaml");
  t.equal(rewritePaths("persist_path: /data\n", mounts), "persist_path: /tmp/pod/data\n");
  t.equal(
    rewritePaths("/var/tmp /tmpx /database //tmp http://h/data", mounts),
    "/var/tmp /tmpx /database //tmp http://h/data",
    "no partial or embedded matches",
  );
  t.equal(rewritePaths("/tmp", mounts), "/tmp/pod/tmp", "the rewritten text is not rewritten again");
});

t.test("expandK8s: $(VAR) from the container env, $$ escapes, unknown stays", async (t) => {
  t.equal(expandK8s("--port=$(PORT) $$(PORT) $(NOPE) ${SHELL_VAR}", { PORT: "8000" }), "--port=8000 $(PORT) $(NOPE) ${SHELL_VAR}");
});

function syntheticPod(script: string, extra: { volumes?: unknown[]; mounts?: unknown[]; claims?: string[] } = {}): KubeObject[] {
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: { "a.conf": "dir /work/data and /tmp/x\n", other: "ignored" } },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "demo" },
      spec: {
        template: {
          spec: {
            terminationGracePeriodSeconds: 2,
            containers: [
              {
                name: "main",
                image: "busybox:1",
                command: ["/bin/sh", "-c", script],
                env: [
                  { name: "FROM_SECRET", valueFrom: { secretKeyRef: { name: "demo-auth", key: "token" } } },
                  { name: "FROM_CM", valueFrom: { configMapKeyRef: { name: "cm", key: "other" } } },
                  { name: "DATA", value: "/work/data" },
                  { name: "DERIVED", value: "$(DATA)/sub" },
                ],
                volumeMounts: [
                  { name: "cm", mountPath: "/etc/demo" },
                  { name: "secret", mountPath: "/etc/secret" },
                  { name: "tmp", mountPath: "/tmp" },
                  { name: "data", mountPath: "/work/data" },
                  ...(extra.mounts ?? []),
                ],
              },
            ],
            volumes: [
              { name: "cm", configMap: { name: "cm", items: [{ key: "a.conf", path: "conf/a.conf" }] } },
              { name: "secret", secret: { secretName: "demo-auth" } },
              { name: "tmp", emptyDir: {} },
              ...(extra.volumes ?? []),
            ],
          },
        },
        volumeClaimTemplates: (extra.claims ?? ["data"]).map((name) => ({ metadata: { name } })),
      },
    },
  ];
}

const shProfile = () => ({ env: { PATH: "/usr/bin:/bin" }, programs: { "/bin/sh": "/bin/sh" } });
const secrets = [{ metadata: { name: "demo-auth", namespace: "x" }, generate: { token: { random: { length: 12 } } } }];

t.test("a synthetic pod: env, volumes, items, emptyDir fresh per start, PVC kept, SIGTERM", async (t) => {
  const script = [
    'echo "secret=$FROM_SECRET cm=$FROM_CM derived=$DERIVED"',
    "cat /etc/demo/conf/a.conf",
    'ls /etc/demo/conf; ls /tmp; echo "x" >> /work/data/count; wc -l < /work/data/count',
    "touch /tmp/marker",
    "trap 'echo bye; exit 0' TERM",
    "while :; do sleep 0.1; done",
  ].join("\n");
  const runner = new PodRunner(syntheticPod(script), secrets, { imageProfile: shProfile });
  t.teardown(() => runner.cleanup());
  const token = runner.secrets.get("demo-auth")!.token!;
  t.match(token, /^[A-Za-z0-9]{12}$/, "generated Secret filled like apply does");

  const first = await runner.start();
  await new Promise((r) => setTimeout(r, 300));
  const mounts = first.mounts.get("main")!;
  const log1 = first.log("main");
  t.match(log1, `secret=${token} cm=ignored derived=${mounts.get("/work/data")}/sub`, "secretKeyRef, configMapKeyRef, $(VAR) and path rewrite in env");
  t.match(log1, `dir ${mounts.get("/work/data")} and ${mounts.get("/tmp")}/x`, "ConfigMap file content rewritten to the container's mounts");
  t.match(log1, /^a\.conf$/m, "items: only the listed key, at its path");
  t.equal(readFileSync(`${mounts.get("/etc/secret")}/token`, "utf8"), token, "Secret volume file");
  t.match(log1, /^1$/m, "PVC starts empty");
  const exits1 = await first.stop();
  t.same({ ...exits1.get("main"), afterMs: 0 }, { code: 0, signal: null, killed: false, afterMs: 0 }, "SIGTERM → graceful exit");
  t.match(first.log("main"), /bye/, "the container saw SIGTERM");

  const second = await runner.start();
  await new Promise((r) => setTimeout(r, 300));
  const log2 = second.log("main");
  t.match(log2, /^2$/m, "PVC kept across the restart");
  t.notMatch(log2, /marker/, "emptyDir is fresh on the restart");
  await second.stop();
});

t.test("a container that ignores SIGTERM is killed after the grace period", async (t) => {
  const runner = new PodRunner(syntheticPod("trap '' TERM; while :; do sleep 0.1; done"), secrets, { imageProfile: shProfile, graceMs: 500 });
  t.teardown(() => runner.cleanup());
  const pod = await runner.start();
  await new Promise((r) => setTimeout(r, 300)); // let sh install its trap
  const exit = (await pod.stop()).get("main")!;
  t.ok(exit.killed, "killed");
  t.equal(exit.signal, "SIGKILL", "by SIGKILL");
});

t.test("a pod that cannot be run is refused with the reason", async (t) => {
  const runner = new PodRunner(syntheticPod("true", { mounts: [{ name: "nowhere", mountPath: "/x" }] }), secrets, { imageProfile: shProfile });
  t.teardown(() => runner.cleanup());
  await t.rejects(runner.start(), { name: "PodStartError", message: /volume mount nowhere has no volume/ }, "unknown volume");
  const noSecret = new PodRunner(syntheticPod("true"), [], { imageProfile: shProfile });
  t.teardown(() => noSecret.cleanup());
  await t.rejects(noSecret.start(), /Secret demo-auth/, "missing Secret");
  const dies = new PodRunner(
    syntheticPod("exit 3").map((o) =>
      o.kind === "StatefulSet"
        ? (() => {
            const c = structuredClone(o) as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
            c.spec.template.spec.containers[0]!.readinessProbe = { httpGet: { path: "/", port: 1 } };
            return c as unknown as KubeObject;
          })()
        : o,
    ),
    secrets,
    { imageProfile: shProfile },
  );
  t.teardown(() => dies.cleanup());
  await t.rejects(dies.start(), /exited before the pod was ready \(exit code 3\)/, "a container that exits before ready");
});
