import { UserError } from "../../engine/errors.ts";
import { openBundle } from "../app.ts";
import { bundleOptions, type Command } from "../command.ts";

const USAGE = "chroma-mod local up|down [--purge]|status|env|url <bundle.config.ts> [--instance NAME]|prune";

export const local: Command = {
  name: "local",
  summary: "Start, stop or inspect the embedded local Kubernetes control plane and its node",
  usage: USAGE,
  description: [
    "A real kube-apiserver, etcd, kube-controller-manager and kube-scheduler, built once from their Go modules with the machine's Go toolchain and cached under ~/.cache/chroma-mod (CHROMA_MOD_CACHE), loopback only, its own certificates;",
    "and a local node that runs the pods bound to it as local processes (Chroma from a cached chromadb virtualenv per version, nginx from this machine; each pod in its own network namespace),",
    "provisions a volume for each claim under the state dir (kept when the claim goes: Retain), and puts each Service on a loopback port.",
    "`up` builds on first use and starts it; `down` stops it and its pods (--purge also deletes its state and volumes); `status` shows the components and the volumes;",
    "`env` prints `export KUBECONFIG=…`; `url` prints where each instance of a bundle answers; `prune` deletes the volumes no claim holds any more, with their data.",
    "`--local` on apply/diff/status/delete uses it.",
  ].join(" "),
  options: { purge: { type: "boolean" }, ...bundleOptions, instance: { type: "string", multiple: true } },
  examples: [
    "chroma-mod local up",
    "chroma-mod local url bundles/dev.config.ts",
    'eval "$(chroma-mod local env)" && kubectl get nodes',
    "chroma-mod local prune",
    "chroma-mod local down --purge",
  ],
  async run(args) {
    const { positionals, values, io } = args;
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
        if (s.ready) {
          const volumes = await cluster.volumes({});
          const released = volumes.filter((v) => v.phase === "Released").length;
          lines.push(
            `volumes: ${volumes.length}${released > 0 ? ` (${released} no claim holds any more: \`chroma-mod local prune\` deletes them and their data)` : ""}`,
            ...volumes.map((v) => `  ${v.name} ${v.phase} ${v.capacity} claim ${v.claim} (${v.path})`),
          );
        }
        io.stdout(`${lines.join("\n")}\n`);
        return s.running ? 0 : 3;
      }
      case "env":
        io.stdout(await cluster.env({}));
        return 0;
      case "url": {
        const { instances } = await openBundle({ name: "local url", usage: USAGE }, { ...args, positionals: positionals.slice(1) }, ["text"]);
        const { accessLines } = await import("../local-access.ts");
        const lines = await accessLines(instances, "answers");
        io.stdout(`${lines.join("\n")}\n`);
        return lines.some((l) => l.includes("not reachable")) ? 1 : 0;
      }
      case "prune": {
        const pruned = await cluster.pruneVolumes({});
        io.stdout(
          pruned.length === 0
            ? "no volume to prune: every local volume is held by a claim\n"
            : `deleted ${pruned.length} volume(s) and their data: ${pruned.map((v) => `${v.name} (was ${v.claim})`).join(", ")}\n`,
        );
        return 0;
      }
      case "agent":
        // The local node's agent, started by `up` (not for people: left out of the usage).
        return (await import("../local-agent.ts")).localAgent(positionals[1], io);
      default:
        throw new UserError(`local: expected up, down, status, env, url or prune${positionals[0] ? `, got "${positionals[0]}"` : ""}.`, `Usage: ${USAGE}`);
    }
  },
};
