/**
 * The local node's agent (localcluster/node/agent.ts): runs the pods bound to node `local-node` as local processes.
 * It is chroma-mod itself (`chroma-mod local agent <stateDir>`, a command left out of the help), run by the same
 * Node.js as the caller.
 */
import { join } from "node:path";
import { packageRoot } from "../../engine/package-root.ts";
import type { Component } from "./component.ts";

export const localNode: Component = {
  name: "local-node",
  bin: () => process.execPath,
  args: ({ paths }) => [join(packageRoot(), "bin", "chroma-mod.js"), "local", "agent", paths.stateDir],
  env: ({ paths }) => ({ CHROMA_MOD_CACHE: paths.cacheDir }),
};
