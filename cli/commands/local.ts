import { UserError } from "../../engine/errors.ts";
import type { Command } from "../command.ts";

export const local: Command = {
  name: "local",
  summary: "Start, stop or inspect the embedded local Kubernetes control plane",
  usage: "chroma-mod local up|down|status|env [--purge]",
  description:
    "A real kube-apiserver, etcd, kube-controller-manager, kube-scheduler and kwok (fake nodes, so pods become Ready and volumes bind), built once from their Go modules with the machine's Go toolchain and cached under ~/.cache/chroma-mod (CHROMA_MOD_CACHE). Loopback only, its own certificates. `up` builds on first use and starts it; `down` stops it (--purge also deletes its state); `env` prints `export KUBECONFIG=…`. `--local` on apply/diff/status/delete uses it.",
  options: { purge: { type: "boolean" } },
  examples: ["chroma-mod local up", 'eval "$(chroma-mod local env)" && kubectl get nodes', "chroma-mod local down --purge"],
  async run({ positionals, values, io }) {
    const cluster = await import("../../localcluster/cluster.ts");
    const log = (line: string) => io.stderr(`${line}\n`);
    switch (positionals[0]) {
      case "up": {
        const info = await cluster.up({ log });
        io.stdout(
          `${info.alreadyRunning ? "already running" : `started in ${(info.startupMs / 1000).toFixed(1)}s`}: Kubernetes ${info.k8sVersion} at ${info.server}\nkubeconfig: ${info.kubeconfig}\n`,
        );
        return 0;
      }
      case "down":
        await cluster.down({ log, purge: values.purge as boolean | undefined });
        io.stdout(`stopped${values.purge ? " and purged" : ""}\n`);
        return 0;
      case "status": {
        const s = await cluster.status({});
        const lines = [
          `${s.running ? `running at ${s.server}` : "not running"}; API ready: ${s.ready}`,
          `kubeconfig: ${s.kubeconfig}`,
          ...s.components.map((c) => `  ${c.name} pid ${c.pid} alive: ${c.alive} (log ${c.log})`),
        ];
        io.stdout(`${lines.join("\n")}\n`);
        return s.running ? 0 : 3;
      }
      case "env":
        io.stdout(await cluster.env({}));
        return 0;
      default:
        throw new UserError(
          `local: expected up, down, status or env${positionals[0] ? `, got "${positionals[0]}"` : ""}.`,
          "Usage: chroma-mod local up|down|status|env [--purge]",
        );
    }
  },
};
