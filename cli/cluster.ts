/** Connecting commands to a cluster: kubeconfig/context flags, or `--local` (the embedded control plane). */
import { UserError } from "../engine/errors.ts";
import { openBundle } from "./app.ts";
import { bundleOptions, type Command, type Options } from "./command.ts";

export const clusterOptions: Options = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  local: { type: "boolean" },
};

export interface ClusterFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  local?: boolean | undefined;
}

/** A KubeClient for the flags; with --local, the local control plane is started first (built on first use). */
export async function connect(flags: ClusterFlags, log: (line: string) => void) {
  const { KubeClient } = await import("../engine/kube/client.ts");
  if (flags.local) {
    if (flags.kubeconfig || flags.context) throw new UserError("--local cannot be combined with --kubeconfig or --context.", "Use one or the other.");
    const { up } = await import("../localcluster/cluster.ts");
    const info = await up({ log });
    return KubeClient.load({ kubeconfig: info.kubeconfig });
  }
  return KubeClient.load({ kubeconfig: flags.kubeconfig, context: flags.context });
}

export { parseDuration } from "./command.ts";

/** Options every cluster command takes besides the cluster flags. */
export const clusterCommandOptions: Options = {
  ...bundleOptions,
  instance: { type: "string", multiple: true },
  output: { type: "string", short: "o" },
  ...clusterOptions,
};

/**
 * What diff/apply/status/delete start with: the bundle's selected instances, the output format, a client for the
 * cluster and the engine (loaded only now, so `build` and `vet` never load the Kubernetes client).
 */
export async function openClusterCommand(command: Pick<Command, "name" | "usage">, args: Parameters<Command["run"]>[0]) {
  const { values, io } = args;
  const { format, instances } = await openBundle(command, args, ["text", "json"]);
  const log = (line: string) => io.stderr(`${line}\n`);
  const client = await connect(values as ClusterFlags, log);
  const engine = await import("../engine/apply/index.ts");
  // The bundle's identity; with --instance, the others are not removed (the set is not the whole bundle).
  const bundle = { name: instances[0]!.bundle!, complete: !(values.instance as string[] | undefined)?.length, nameFromFile: instances[0]!.bundleNameFromFile };
  return { format, instances, client, engine, log, bundle };
}
