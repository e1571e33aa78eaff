/** What a wait that timed out says of a pod (engine/apply/wait.ts), down to a pod the API server has only just created. */
import t from "tap";
import { podSummary } from "../../engine/apply/wait.ts";

const meta = { name: "vec-0", namespace: "ns" };

t.test("a pod with conditions and container states", async (t) => {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: meta,
    status: {
      phase: "Pending",
      conditions: [
        { type: "PodScheduled", status: "True" },
        { type: "Ready", status: "False", reason: "ContainersNotReady", message: "containers with unready status: [chroma]" },
        { type: "Initialized", status: "False" },
      ],
      initContainerStatuses: [{ name: "init", ready: true, restartCount: 0, state: { terminated: { reason: "Completed" } } }],
      containerStatuses: [{ name: "chroma", ready: false, restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s" } } }],
    },
  };
  t.same(podSummary(pod), {
    name: "vec-0",
    phase: "Pending",
    conditions: ["Ready=False ContainersNotReady: containers with unready status: [chroma]", "Initialized=False"],
    containers: ["init: terminated Completed, ready=true, restarts=0", "chroma: waiting CrashLoopBackOff back-off 40s, ready=false, restarts=3"],
  });
});

t.test("a pod just created: no status, or a status with no conditions and an empty container state", async (t) => {
  t.same(podSummary({ apiVersion: "v1", kind: "Pod", metadata: meta }), { name: "vec-0", phase: "Unknown", conditions: [], containers: [] });
  t.same(
    podSummary({
      apiVersion: "v1",
      kind: "Pod",
      metadata: meta,
      status: { phase: "Pending", containerStatuses: [{ name: "chroma", ready: false, restartCount: 0, state: {} }] },
    }),
    { name: "vec-0", phase: "Pending", conditions: [], containers: ["chroma: unknown, ready=false, restarts=0"] },
  );
  t.same(
    podSummary({
      apiVersion: "v1",
      kind: "Pod",
      metadata: meta,
      status: { phase: "Pending", containerStatuses: [{ name: "chroma", ready: false, restartCount: 0 }] },
    }).containers,
    ["chroma: unknown, ready=false, restarts=0"],
  );
});
