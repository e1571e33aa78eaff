/** The shape of a command: its usage, its options (node:util parseArgs), and a run function. */
import type { ParseArgsConfig } from "node:util";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly description: string;
  readonly options: Options;
  readonly examples: readonly string[];
  /** Exit code for expected errors, when it is not 1 (diff: 2, as kubectl diff). */
  readonly errorExitCode?: number;
  /** Returns the exit code. */
  run(args: { positionals: string[]; values: Record<string, string | boolean | string[] | undefined>; io: Io }): Promise<number>;
}

/** Options every bundle-reading command takes. */
export const bundleOptions: Options = {
  set: { type: "string", multiple: true },
};

export const optionHelp: Record<string, string> = {
  set: "--set <instance>.<path>=<value>  Override a value (YAML scalar or flow list), repeatable",
  output: "-o, --output yaml|json  Output format",
  debug: "--debug  Print stack traces of unexpected errors",
};

import { UserError } from "../engine/errors.ts";

/** The first positional argument, or a usage error naming what is missing. */
export function requireArgument(command: Pick<Command, "name" | "usage">, positionals: readonly string[], what: string): string {
  const [value] = positionals;
  if (!value) throw new UserError(`${command.name}: missing ${what}.`, `Usage: ${command.usage}`);
  return value;
}

/** `-o/--output`, checked against the formats a command supports. */
export function outputFormat(command: Pick<Command, "name">, value: unknown, formats: readonly string[]): string {
  const format = (value as string | undefined) ?? formats[0]!;
  if (!formats.includes(format)) throw new UserError(`${command.name}: unknown output format "${format}".`, `Use one of: ${formats.join(", ")}.`);
  return format;
}
