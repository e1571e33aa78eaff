/**
 * The `chroma-mod` entry point. Runs under Node (bin/chroma-mod.js) and Deno (`deno run -A cli/main.ts`).
 */
import process from "node:process";
import { main } from "./cli.ts";

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
});
