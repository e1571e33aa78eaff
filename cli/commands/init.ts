import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { UserError } from "../../engine/errors.ts";
import { defaultChromaVersion } from "../../schemas/releases.ts";
import type { Command } from "../command.ts";

const scaffold = `// A chroma-mod bundle: one or more Chroma instances and their values.
// Every key is typed: your editor completes them and flags typos; \`chroma-mod vet\` checks them too.
// Reference of every value: \`chroma-mod schema\`, or docs/values.md in the chroma-mod package.
import { defineBundle } from "chroma-mod";

export default defineBundle({
  // The bundle's name labels what it owns in the cluster; \`chroma-mod apply\` removes an instance you take out of
  // this file (its data kept). Choose one no other bundle on the cluster uses.
  name: "chroma",
  instances: {
    // The instance name prefixes every object it owns (StatefulSet "chroma", Secret "chroma-auth", ...).
    chroma: {
      namespace: "default",
      values: {
        chromadb: {
          // The Chroma version: command, env, config file, probes and auth follow it.
          apiVersion: "${defaultChromaVersion}",
          // Token auth is on by default; \`chroma-mod apply\` generates the token once, in Secret "chroma-auth".
          auth: { enabled: true, type: "token" },
          // Data lives on a PersistentVolumeClaim that is never deleted unless you ask for it.
          isPersistent: true,
          dataVolumeSize: "10Gi",
        },
        resources: {
          requests: { cpu: "250m", memory: "512Mi" },
          limits: { memory: "2Gi" },
        },
      },
    },
  },
});
`;

export const init: Command = {
  name: "init",
  summary: "Scaffold a commented bundle file",
  usage: "chroma-mod init [dir | file.config.ts] [--force]",
  description:
    "Writes <dir>/chroma.config.ts (default: the current directory), or the .ts file named, a commented bundle with one Chroma instance. Refuses to overwrite an existing file unless --force.",
  options: { force: { type: "boolean" } },
  optionHelp: { force: "Overwrite an existing bundle file" },
  examples: ["chroma-mod init", "chroma-mod init deploy/", "chroma-mod init deploy/prod.config.ts"],
  async run({ positionals, values, io }) {
    const target = resolve(io.cwd, positionals[0] ?? ".");
    // A .ts path names the file to write; anything else, the directory to write chroma.config.ts into.
    const named = target.endsWith(".ts") && !(existsSync(target) && statSync(target).isDirectory());
    const dir = named ? dirname(target) : target;
    const file = named ? target : join(dir, "chroma.config.ts");
    const shown = relative(io.cwd, file);
    if (!named && existsSync(dir) && !statSync(dir).isDirectory()) {
      throw new UserError(
        `init: ${positionals[0]} is a file; init takes a directory (it writes chroma.config.ts into it) or the .ts file to write.`,
        "Name a directory (created if missing), e.g. chroma-mod init deploy/, or a new file, e.g. chroma-mod init deploy/prod.config.ts.",
      );
    }
    if (existsSync(file) && !values.force) {
      throw new UserError(`${shown} already exists; not overwriting it.`, "Pass --force to replace it, or choose another directory.");
    }
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, scaffold);
    } catch (error) {
      throw new UserError(`init: could not write ${shown}: ${(error as Error).message}.`, "Choose a directory you can write to.");
    }
    io.stdout(`wrote ${shown}\nnext: npm install chroma-mod (for editor types), then: chroma-mod vet ${shown} && chroma-mod build ${shown}\n`);
    return 0;
  },
};
