/** The command registry, argument parsing, and the one place errors are printed. Entry point: cli/main.ts. */
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
import { UserError } from "../engine/errors.ts";
import { optionHelp, type Command, type Io } from "./command.ts";
/**
 * Each command's module, loaded when it runs: a run reads and compiles only its own command's code and libraries
 * (`build` never loads the Kubernetes client, the YAML parser or the JSON Schema writer). In `--help`'s order.
 */
const registry: Readonly<Record<string, () => Promise<Command>>> = {
  init: async () => (await import("./commands/init.ts")).init,
  import: async () => (await import("./commands/import.ts")).importCommand,
  vet: async () => (await import("./commands/vet.ts")).vet,
  check: async () => (await import("./commands/check.ts")).check,
  build: async () => (await import("./commands/build.ts")).build,
  values: async () => (await import("./commands/values.ts")).values,
  schema: async () => (await import("./commands/schema.ts")).schema,
  diff: async () => (await import("./commands/diff.ts")).diff,
  apply: async () => (await import("./commands/apply.ts")).apply,
  status: async () => (await import("./commands/status.ts")).status,
  history: async () => (await import("./commands/history.ts")).historyCommand,
  rollback: async () => (await import("./commands/rollback.ts")).rollbackCommand,
  delete: async () => (await import("./commands/delete.ts")).del,
  local: async () => (await import("./commands/local.ts")).local,
};

const commandNames = Object.keys(registry);

/** Every command, loaded (for the usage text, and tests). */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(commandNames.map((name) => registry[name]!()));
}

async function usage(): Promise<string> {
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return `chroma-mod ${pkg.version}: typed Chroma deployments for Kubernetes

Usage: chroma-mod <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Global options:
  -h, --help     Help for a command (chroma-mod <command> --help)
  --version      Print the version
  --debug        Print stack traces of unexpected errors
`;
}

function commandHelp(command: Command): string {
  const rows = Object.entries(command.options).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? " <value>" : ""}`,
    `${command.optionHelp?.[name] ?? optionHelp[name]}${o.multiple ? " (repeatable)" : ""}`,
  ]);
  rows.push(["-h, --help", "This help"], ["--debug", "Print stack traces of unexpected errors"]);
  const width = Math.max(...rows.map(([flag]) => flag!.length));
  const options = rows.map(([flag, help]) => `  ${flag!.padEnd(width)}  ${help}`);
  return `${command.summary}

Usage: ${command.usage}

${command.description}

Options:
${options.join("\n")}

Examples:
${command.examples.map((e) => `  ${e}`).join("\n")}
`;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const debug = argv.includes("--debug");
  const args = argv.filter((arg) => arg !== "--debug");
  const [name, ...rest] = args;
  let command: Command | undefined;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      const topic = rest[0] !== undefined && Object.hasOwn(registry, rest[0]) ? await registry[rest[0]]!() : undefined;
      io.stdout(topic ? commandHelp(topic) : await usage());
      return name === undefined ? 1 : 0;
    }
    if (name === "--version" || name === "version") {
      io.stdout(`${pkg.version}\n`);
      return 0;
    }
    if (!Object.hasOwn(registry, name)) throw new UserError(`unknown command "${name}".`, `Commands: ${commandNames.join(", ")}. Run chroma-mod --help.`);
    command = await registry[name]!();
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(commandHelp(command));
      return 0;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UserError(`${command.name}: ${(error as Error).message.split("\n")[0]}`, `Usage: ${command.usage}`);
    }
    return await command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | string[] | undefined>, io });
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(`error: ${error.message}\nhint: ${error.hint}\n`);
      return command?.errorExitCode ?? error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(
      `internal error: ${message}\n${debug && error instanceof Error ? `${error.stack}\n` : "Run again with --debug for the stack trace, and report it as a bug.\n"}`,
    );
    return 70;
  }
}
