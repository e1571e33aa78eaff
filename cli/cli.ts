/** The command registry, argument parsing, and the one place errors are printed. Entry point: cli/main.ts. */
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
import { UserError } from "../engine/errors.ts";
import { optionHelp, type Command, type Io } from "./command.ts";
import { apply } from "./commands/apply.ts";
import { build } from "./commands/build.ts";
import { del } from "./commands/delete.ts";
import { diff } from "./commands/diff.ts";
import { local } from "./commands/local.ts";
import { status } from "./commands/status.ts";
import { historyCommand } from "./commands/history.ts";
import { importCommand } from "./commands/import.ts";
import { init } from "./commands/init.ts";
import { rollbackCommand } from "./commands/rollback.ts";
import { schema } from "./commands/schema.ts";
import { values } from "./commands/values.ts";
import { vet } from "./commands/vet.ts";

export const commands: readonly Command[] = [init, importCommand, vet, build, values, schema, diff, apply, status, historyCommand, rollbackCommand, del, local];

function usage(): string {
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
  const command = commands.find((c) => c.name === name);
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      const topic = commands.find((c) => c.name === rest[0]);
      io.stdout(topic ? commandHelp(topic) : usage());
      return name === undefined ? 1 : 0;
    }
    if (name === "--version" || name === "version") {
      io.stdout(`${pkg.version}\n`);
      return 0;
    }
    if (!command) throw new UserError(`unknown command "${name}".`, `Commands: ${commands.map((c) => c.name).join(", ")}. Run chroma-mod --help.`);
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
