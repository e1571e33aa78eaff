/** Waiting: a Deployment whose pods can never be scheduled times out, with the events that say why. */
import t from "tap";
import { apply, type EngineEvent } from "../../engine/apply/index.ts";
import { createNamespace, deployment, instance, setup } from "./fixtures/helpers.ts";

const e = await setup("e2e-wait");
const ns = createNamespace(e, "wait");
t.teardown(() => {
  e.kubectl(["delete", "namespace", ns, "--wait=false"]);
  e.client.close();
});

t.test("timeout explains: Pending pod, PodScheduled=False, FailedScheduling event", async (t) => {
  const events: EngineEvent[] = [];
  const stuck = deployment("stuck", { nodeSelector: { "e2e.chroma-mod.io/no-such-node": "true" } });
  const started = Date.now();
  const [r] = await apply([instance("wait", ns, [stuck])], {
    client: e.client,
    wait: true,
    timeoutMs: 10_000,
    pollIntervalMs: 1000,
    onEvent: (ev) => events.push(ev),
  });
  t.ok(Date.now() - started < 30_000);
  const w = r!.wait!;
  t.equal(w.ready, false);
  t.equal(w.timedOut, true);
  t.same(
    w.explanations.map((x) => x.object),
    [`Deployment/${ns}/stuck`],
  );
  const ex = w.explanations[0]!;
  t.equal(ex.status, "InProgress");
  t.match(ex.message, /0\/1 replicas available/);
  t.match(ex.events.join("\n"), /ScalingReplicaSet/);
  t.equal(ex.pods.length, 1);
  t.equal(ex.pods[0]!.phase, "Pending");
  t.match(ex.pods[0]!.conditions.join("\n"), /PodScheduled=False Unschedulable: 0\/\d+ nodes are available:.*node affinity\/selector/);
  t.match(ex.pods[0]!.events.join("\n"), /Warning FailedScheduling/);
  t.ok(events.some((ev) => ev.phase === "wait" && /waiting for 1\/1: Deployment/.test(ev.message)));
  t.ok(events.some((ev) => ev.phase === "wait" && /^not ready: /.test(ev.message)));
});

t.test("a Deployment past its progress deadline fails fast", async (t) => {
  const stuck = deployment("deadline", { nodeSelector: { "e2e.chroma-mod.io/no-such-node": "true" } });
  (stuck.spec as Record<string, unknown>).progressDeadlineSeconds = 1;
  const started = Date.now();
  const [r] = await apply([instance("deadline", ns, [stuck])], { client: e.client, wait: true, timeoutMs: 90_000, pollIntervalMs: 500 });
  const w = r!.wait!;
  t.equal(w.ready, false);
  t.equal(w.timedOut, false);
  t.ok(Date.now() - started < 60_000, "did not wait for the timeout");
  t.equal(w.explanations[0]!.status, "Failed");
  t.match(w.explanations[0]!.message, /timed out progressing|deadline/i);
});

t.test("ready pods report container statuses when explained", async (t) => {
  const { explain } = await import("../../engine/apply/wait.ts");
  const [r] = await apply([instance("wait2", ns, [deployment("fine")])], { client: e.client, wait: true, timeoutMs: 60_000 });
  t.ok(r!.wait!.ready);
  const ev = e.kubectl(["apply", "--server-side", "--field-manager=e2e-setup", "-f", "-"], {
    input: JSON.stringify({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "fine.manual", namespace: ns },
      involvedObject: { apiVersion: "apps/v1", kind: "Deployment", name: "fine", namespace: ns },
      reason: "Manual",
      message: "said three times",
      type: "Normal",
      count: 3,
    }),
  });
  t.equal(ev.code, 0, ev.stderr);
  const ex = await explain(e.client, r!.wait!.objects[0]!);
  t.equal(ex.pods.length, 1);
  t.match(ex.pods[0]!.containers[0], /^app: running, ready=true, restarts=0$/);
  t.match(ex.events.join("\n"), /Normal Manual: said three times \(x3\)/);
  const cm = await explain(e.client, {
    object: "ConfigMap/x",
    ref: { apiVersion: "v1", kind: "ConfigMap", name: "x", namespace: ns },
    status: "NotFound",
    message: "not found",
  });
  t.same([cm.events, cm.pods], [[], []], "no pods to explain for other kinds");
});
