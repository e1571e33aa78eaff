/** kube-scheduler: one instance, placing pods on the kwok node. */
import { componentKubeconfig } from "../kubeconfig.ts";
import { controlLoopArgs, type Component } from "./component.ts";

export const scheduler: Component = {
  name: "kube-scheduler",
  args: ({ paths, ports }) => controlLoopArgs(componentKubeconfig(paths, "scheduler"), ports.scheduler),
};
