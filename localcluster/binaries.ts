/** The control-plane binaries: built from the Go wrapper modules by build.sh into the cache, once. */
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { UserError } from "../engine/errors.ts";
import { BUILD_SCRIPT, pathsOf, type LocalClusterPaths } from "./paths.ts";
import { clusterError, logger, logTail } from "./report.ts";
import type { LocalClusterOptions } from "./types.ts";

/**
 * Make sure every binary exists for the pinned versions: runs `build.sh --check` and, when it says stale or
 * missing, `build.sh` (its output is streamed to stderr and to <cacheDir>/build.log). A cold build takes
 * tens of minutes on 2 cores; a warm check is well under a second.
 */
export async function ensureBinaries(opts: LocalClusterOptions = {}): Promise<LocalClusterPaths> {
  const paths = pathsOf(opts);
  const env = { ...process.env, CHROMA_MOD_CACHE: paths.cacheDir };
  if (spawnSync("bash", [BUILD_SCRIPT, "--check"], { env, stdio: "ignore" }).status === 0) return paths;
  if (opts.build === false) {
    throw clusterError(
      `the control-plane binaries in ${paths.binDir} are missing or stale and building was disabled (build: false)`,
      null,
      `build them with \`bash ${BUILD_SCRIPT}\` (a cold build takes about 30 minutes), then retry`,
    );
  }
  logger(opts)(`building control-plane binaries into ${paths.binDir} (log: ${paths.buildLog}); a cold build is slow`);
  mkdirSync(paths.cacheDir, { recursive: true });
  const out = createWriteStream(paths.buildLog);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("bash", [BUILD_SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (chunk: Buffer): void => {
      process.stderr.write(chunk);
      out.write(chunk);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.once("error", (e) => reject(clusterError(`could not run \`bash ${BUILD_SCRIPT}\`: ${e.message}`, null, "install bash and make sure it is on PATH")));
    child.once("close", resolve);
  });
  await new Promise<void>((resolve) => out.end(resolve));
  if (code === 3) {
    // build.sh found no Go toolchain, or one too old; its last line says which.
    throw new UserError(
      `Local cluster: ${logTail(paths.buildLog, 1).replace(/^build\.sh: /, "")}.`,
      "Install that Go (https://go.dev/dl/) and put its bin directory on PATH, then run the command again (the first build " +
        "takes about 30 minutes). Or do without the local control plane: apply to a cluster you have with `--context <name>` " +
        "(or `--kubeconfig <file>`) instead of `--local`, or print the manifests with `chroma-mod build <bundle>`.",
    );
  }
  if (code !== 0) {
    throw clusterError(
      `build.sh exited with code ${code} while building the control-plane binaries`,
      paths.buildLog,
      `fix the Go error shown there (the Go module proxy must be reachable), then run the command again or ` +
        `\`bash ${BUILD_SCRIPT}\`; if the linker was killed, retry with CHROMA_MOD_BUILD_P=1 to use less memory`,
    );
  }
  return paths;
}
