/** The shape of a command: its usage, its options (node:util parseArgs), and a run function. */
import type { ParseArgsConfig } from "node:util";
import { UserError } from "../engine/errors.ts";

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
  /** Help lines for options whose meaning is this command's own (see `optionHelp`). */
  readonly optionHelp?: Readonly<Record<string, string>>;
  /** Exit code for expected errors, when it is not 1 (diff: 2, as kubectl diff). */
  readonly errorExitCode?: number;
  /** Returns the exit code. */
  run(args: { positionals: string[]; values: Record<string, string | boolean | string[] | undefined>; io: Io }): Promise<number>;
}

/** Options every bundle-reading command takes. */
export const bundleOptions: Options = {
  set: { type: "string", multiple: true },
  "eval-timeout": { type: "string" },
};

/**
 * What each option does, for `<command> --help` (a command's own `optionHelp` wins for options whose meaning is
 * its own). Every option of every command has a line here: a test holds it.
 */
export const optionHelp: Record<string, string> = {
  set: "Override a value: <instance>.<path>=<value>, the value read as YAML (true, 3, [a, b]); the path as errors print it (<instance>.values.<path>) works too; array items by index (extraEnv.0.name)",
  "eval-timeout": "How long the bundle's code may run before it is stopped (default 30s; e.g. 10s, 2m)",
  instance: "Only this instance of the bundle",
  output: "Output format",
  "output-dir": "Write one file per object into DIR (Secrets mode 0600); files chroma-mod wrote there before and no longer renders are removed",
  "generate-secrets": "Include freshly generated credentials (new on every run) for the Secrets apply would create",
  kubeconfig: "The kubeconfig file (default $KUBECONFIG, then ~/.kube/config)",
  context: "The kubeconfig context (default: its current context)",
  local: "Use the embedded local control plane, starting it (and building it on first use) if needed",
  "dry-run": "Show what would change (server-side dry-run); change nothing",
  force: "Re-create objects whose immutable fields changed (never their data)",
  "force-conflicts": "Take over fields another field manager owns (e.g. Helm)",
  "no-wait": "Do not wait for the objects to become ready",
  timeout: "How long to wait for readiness (default 5m)",
  "delete-data": "Also delete PersistentVolumeClaims (the data) and the credentials Secret",
  wait: "Wait until the deleted objects are gone",
  bundle: "The schema of a whole bundle, not one instance's values",
  purge: "With down: also delete the control plane's state",
  "fail-on": "Exit 1 when a finding is at this severity or above: high, medium, low or info",
  ignore: "Leave out the findings of this check (its id, as the report prints it)",
};

/** `30s`, `5m`, `1h`, `500ms`, or plain seconds. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text);
  if (!match) throw new UserError(`--${flag} ${text}: not a duration.`, "Use e.g. 90s, 5m or 1h.");
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Number(match[1]) * unit;
}

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
