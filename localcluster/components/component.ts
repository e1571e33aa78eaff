/**
 * One control-plane component, as the start sequence runs it: its name (the binary in the bin dir) and its argv
 * (and environment) for this start's paths and ports. One file per component builds its own.
 */
import { join } from "node:path";
import type { LocalClusterPaths } from "../paths.ts";
import type { ClusterPorts, ComponentName } from "../types.ts";

export interface StartContext {
  readonly paths: LocalClusterPaths;
  readonly ports: ClusterPorts;
}

export interface Component {
  readonly name: ComponentName;
  /** The program (default: `name` in the bin dir). */
  bin?(ctx: StartContext): string;
  args(ctx: StartContext): string[];
  /** Environment on top of the caller's (KUBECONFIG is always dropped). */
  env?(ctx: StartContext): Record<string, string>;
}

/** A file of the pki dir. */
export function pkiFile(ctx: StartContext, file: string): string {
  return join(ctx.paths.pkiDir, file);
}

/**
 * The flags kube-controller-manager and kube-scheduler share: their kubeconfig for the apiserver and for
 * delegated authentication and authorization, /healthz on loopback `port`, and one instance (no leader election).
 */
export function controlLoopArgs(kubeconfig: string, port: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
    "--leader-elect=false",
  ];
}
