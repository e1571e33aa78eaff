import t from "tap";
import { readyCountsCaughtUp } from "../../localcluster/bootstrap.ts";

const pod = (owner: string | undefined, ready: boolean | undefined) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", ...(owner ? { ownerReferences: [{ uid: owner }] } : {}) },
  ...(ready === undefined
    ? {}
    : {
        status: {
          conditions: [
            { type: "PodScheduled", status: "True" },
            { type: "Ready", status: ready ? "True" : "False" },
          ],
        },
      }),
});
const sts = (uid: string | undefined, readyReplicas: number | undefined) => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "s", ...(uid ? { uid } : {}) },
  ...(readyReplicas === undefined ? {} : { status: { readyReplicas } }),
});

t.test("a StatefulSet's ready count is caught up when its Ready pods are at least as many", async (t) => {
  t.ok(readyCountsCaughtUp([], []), "nothing to count");
  t.ok(readyCountsCaughtUp([pod("a", true), pod("a", true)], [sts("a", 2)]));
  t.notOk(readyCountsCaughtUp([pod("a", false)], [sts("a", 1)]), "the pod was marked not ready, the set still counts it");
  t.ok(readyCountsCaughtUp([pod("a", false)], [sts("a", 0)]));
  t.ok(readyCountsCaughtUp([pod(undefined, true), pod("a", undefined)], [sts("a", undefined), sts(undefined, 0)]), "no status, no owner");
  t.notOk(readyCountsCaughtUp([pod("b", true)], [sts("a", 1)]), "another set's pod does not count");
});
