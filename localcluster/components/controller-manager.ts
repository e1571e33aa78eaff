/**
 * kube-controller-manager: one instance, each controller with its own service account; it signs service-account
 * tokens and CSRs with the cluster's keys and binds the pre-created PersistentVolumes.
 */
import { componentKubeconfig } from "../kubeconfig.ts";
import { controlLoopArgs, pkiFile, type Component } from "./component.ts";

export const controllerManager: Component = {
  name: "kube-controller-manager",
  args: (ctx) => [
    ...controlLoopArgs(componentKubeconfig(ctx.paths, "controller-manager"), ctx.ports.controllerManager),
    "--use-service-account-credentials=true",
    `--service-account-private-key-file=${pkiFile(ctx, "sa.key")}`,
    `--root-ca-file=${pkiFile(ctx, "ca.crt")}`,
    `--cluster-signing-cert-file=${pkiFile(ctx, "ca.crt")}`,
    `--cluster-signing-key-file=${pkiFile(ctx, "ca.key")}`,
    "--profiling=false",
  ],
};
