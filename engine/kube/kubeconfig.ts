/**
 * Loading kubeconfig files like kubectl: --kubeconfig alone, else $KUBECONFIG's files that exist, else
 * ~/.kube/config, merged by kubectl's rules; a context chosen by name. Each file is read by client-node.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeconfigError } from "./errors.ts";

/** The kubeconfig files kubectl would read, in order: $KUBECONFIG's list (the OS's path-list separator), else ~/.kube/config. */
export function defaultKubeconfigPaths(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string[] {
  const fromEnv = (env.KUBECONFIG ?? "").split(delimiter).filter((p) => p !== "");
  return fromEnv.length ? fromEnv : [join(home, ".kube", "config")];
}

/**
 * Several kubeconfig files merged by kubectl's rules: the first file to name a cluster, user or context wins, and so
 * does the first current-context set. Each file is read by client-node; its own multi-file loader (loadFromDefault)
 * is not used because it follows other rules: it fails on a name that two files share, takes current-context from
 * the first file even when that one sets none, and fails on a listed file that is missing (kubectl skips it).
 */
function loadKubeconfigs(files: readonly string[]): KubeConfig {
  const [kc, ...rest] = files.map((file) => {
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (e) {
      throw new KubeconfigError(
        `Cannot read the kubeconfig ${file}: ${(e as Error).message}.`,
        "Fix the file (it must be a valid kubeconfig YAML) or pass another one with --kubeconfig.",
      );
    }
    return one;
  }) as [KubeConfig, ...KubeConfig[]];
  for (const more of rest) {
    if (!kc.getCurrentContext()) kc.setCurrentContext(more.getCurrentContext());
    for (const cluster of more.getClusters()) if (!kc.getCluster(cluster.name)) kc.addCluster(cluster);
    for (const user of more.getUsers()) if (!kc.getUser(user.name)) kc.addUser(user);
    for (const context of more.getContexts()) if (!kc.getContextObject(context.name)) kc.addContext(context);
  }
  return kc;
}

/**
 * The kubeconfig (and context) for `opts`. Throws KubeconfigError when that is impossible: when none of the files
 * exists, client-node would quietly fall back to in-cluster credentials or http://localhost:8080.
 */
export function loadKubeconfig(opts: { kubeconfig?: string | undefined; context?: string | undefined }): { kubeConfig: KubeConfig; shown: string } {
  const paths = opts.kubeconfig ? [opts.kubeconfig] : defaultKubeconfigPaths();
  const present = paths.filter((p) => existsSync(p));
  if (present.length === 0) {
    throw new KubeconfigError(
      `No kubeconfig found (looked for ${paths.join(", ")}).`,
      "Pass --kubeconfig, set KUBECONFIG, or use --local to start a local control plane.",
    );
  }
  const kc = loadKubeconfigs(present);
  const shown = present.join(delimiter);
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new KubeconfigError(
        `The kubeconfig ${shown} has no context "${opts.context}" (contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(", ") || "none"
        }).`,
        "Pass --context with one of the listed contexts.",
      );
    }
    kc.setCurrentContext(opts.context);
  }
  return { kubeConfig: kc, shown };
}
