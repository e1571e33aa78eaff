/**
 * Manual driver for the local cluster (used by smoke.sh):
 *   npx tsx localcluster/cli.ts build | up | down [--purge] | status | env | user NAME [GROUP...] | prune-volumes
 * up/status print JSON on stdout; env prints shell text; user prints the kubeconfig path.
 * CHROMA_MOD_CACHE and LOCALCLUSTER_STATE_DIR select the cache root and the state dir.
 */
import { UserError } from "../engine/errors.ts";
import { createUserKubeconfig, down, ensureBinaries, env, pruneVolumes, status, up, type LocalClusterOptions } from "./cluster.ts";

const opts: LocalClusterOptions = {};
const stateDir = process.env["LOCALCLUSTER_STATE_DIR"];
if (stateDir !== undefined && stateDir !== "") opts.stateDir = stateDir;

const [cmd, ...rest] = process.argv.slice(2);
try {
  switch (cmd) {
    case "build":
      process.stdout.write((await ensureBinaries(opts)).binDir + "\n");
      break;
    case "up":
      process.stdout.write(JSON.stringify(await up(opts), null, 2) + "\n");
      break;
    case "down":
      await down({ ...opts, purge: rest.includes("--purge") });
      break;
    case "status": {
      const s = await status(opts);
      process.stdout.write(JSON.stringify(s, null, 2) + "\n");
      process.exitCode = s.running ? 0 : 3;
      break;
    }
    case "env":
      process.stdout.write(await env(opts));
      break;
    case "user": {
      const [name, ...groups] = rest;
      if (name === undefined) throw new Error("usage: cli.ts user NAME [GROUP...]");
      process.stdout.write((await createUserKubeconfig(name, groups, opts)) + "\n");
      break;
    }
    case "prune-volumes":
      process.stdout.write((await pruneVolumes(opts)).map((v) => v.name).join("\n") + "\n");
      break;
    default:
      process.stderr.write("usage: cli.ts build | up | down [--purge] | status | env | user NAME [GROUP...] | prune-volumes\n");
      process.exitCode = 2;
  }
} catch (e) {
  process.stderr.write(e instanceof UserError ? `error: ${e.message}\nhint: ${e.hint}\n` : `${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
