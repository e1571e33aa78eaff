/**
 * The `chroma-mod` entry point. Runs under Node (bin/chroma-mod.js) and Deno (`deno run -A cli/main.ts`).
 * First thing, a command that reads a bundle compiled before starts that bundle's worker (engine/bundle-worker.ts);
 * the rest of the CLI loads meanwhile.
 */
import { extname } from "node:path";
import process from "node:process";
import { startEarly } from "../engine/bundle-worker.ts";
import { bundleAliases, bundleCommands } from "./entry.ts";

const argv = process.argv.slice(2);
const bundleFile = argv.slice(1).find((arg) => !arg.startsWith("-") && [".ts", ".mts", ".js", ".mjs"].includes(extname(arg)));
if (bundleCommands.has(argv[0] ?? "") && bundleFile !== undefined) startEarly(bundleFile, process.cwd(), bundleAliases);

const { main } = await import("./cli.ts");
process.exitCode = await main(argv, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
});
