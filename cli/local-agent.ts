/**
 * `chroma-mod local agent <stateDir>`: the local node's agent (localcluster/node/agent.ts), as `up` starts it. It
 * runs until SIGTERM, in its own process: its lines are its log (<stateDir>/logs/local-node.log).
 */
import { UserError } from "../engine/errors.ts";
import type { Io } from "./command.ts";

export async function localAgent(stateDir: string | undefined, io: Io): Promise<number> {
  if (!stateDir)
    throw new UserError("local agent: the local node's agent is started by `chroma-mod local up`, with the cluster's state dir.", "Run `chroma-mod local up`.");
  const { runAgent } = await import("../localcluster/node/agent.ts");
  const { localClusterPaths } = await import("../localcluster/paths.ts");
  await runAgent(localClusterPaths(undefined, stateDir), (line) => io.stderr(`${new Date().toISOString()} ${line}\n`));
  return 0;
}
