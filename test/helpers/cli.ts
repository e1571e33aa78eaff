/** Runs the real `chroma-mod` binary (bin/chroma-mod.js) as users do. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const bin = fileURLToPath(new URL("../../bin/chroma-mod.js", import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, encoding: "utf8", env: { ...process.env, ...options.env } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
