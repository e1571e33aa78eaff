/**
 * kwok: plays the kubelet of the node annotated kwok.x-k8s.io/node=fake (heartbeats, a lease) and moves its pods
 * through Running/Ready, Completed and deletion with its "fast" stages, without a container runtime.
 */
import { join } from "node:path";
import { componentKubeconfig } from "../kubeconfig.ts";
import { POD_CIDR } from "../ports.ts";
import type { Component } from "./component.ts";

const STAGES = [
  "node/fast/node-initialize.yaml",
  "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
  "pod/fast/pod-ready.yaml",
  "pod/fast/pod-complete.yaml",
  "pod/fast/pod-delete.yaml",
];

export const kwok: Component = {
  name: "kwok",
  args: ({ paths }) => [
    `--kubeconfig=${componentKubeconfig(paths, "kwok")}`,
    "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
    "--node-ip=127.0.0.1",
    `--cidr=${POD_CIDR}`,
    "--node-lease-duration-seconds=40",
    `--config=${STAGES.map((f) => join(paths.kwokStagesDir, f)).join(",")}`,
  ],
  // kwok also loads ~/.kwok/kwok.yaml when present: point its work dir into the state dir.
  env: ({ paths }) => ({ KWOK_WORKDIR: join(paths.stateDir, "kwok") }),
};
