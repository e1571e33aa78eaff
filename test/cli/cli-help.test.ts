/**
 * The CLI as users run it, through the same `main` the binary runs, in-process: --version, --help and each
 * command's help and flags, an internal error (exit 70), Ctrl-C. The other in-process CLI tests are the
 * test/cli/cli-*.test.ts beside this one; the real binary in a child process: test/cli/binary.test.ts.
 */
import t from "tap";
import pkg from "../../package.json" with { type: "json" };
import { loadCommands, main } from "../../cli/cli.ts";
import { interruptHandler } from "../../cli/commands/apply.ts";
import { cli, root } from "../fixtures/cli.ts";

t.test("--version, --help, and help per command", async (t) => {
  t.same(await cli(["--version"]), { code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  const help = await cli(["--help"]);
  t.equal(help.code, 0);
  for (const name of ["init", "vet", "build", "values", "schema"]) t.match(help.stdout, new RegExp(`\\n  ${name}\\s`));
  t.equal((await cli([])).code, 1, "no command: usage, exit 1");
  const usages: Record<string, string> = {
    vet: "chroma-mod vet <bundle.config.ts> [--set <instance>.<path>=<value>]... [--eval-timeout 30s]",
    build: "chroma-mod build <bundle.config.ts> [-o yaml|json] [--output-dir DIR] [--instance NAME]... [--generate-secrets] [--set …]",
    values: "chroma-mod values <bundle.config.ts> [--instance NAME]... [-o yaml|json] [--set …]",
    schema: "chroma-mod schema [--bundle]",
    init: "chroma-mod init [dir | file.config.ts] [--force]",
  };
  for (const [name, usage] of Object.entries(usages)) {
    const run = await cli([name, "--help"]);
    t.equal(run.code, 0);
    t.match(run.stdout, `Usage: ${usage}\n`, `${name} usage is stable`);
    t.match(run.stdout, /Examples:\n {2}chroma-mod /);
    t.equal((await cli(["help", name])).stdout, run.stdout);
  }
});

t.test("an unexpected error: internal error, exit 70, the stack only with --debug", async (t) => {
  const io = (sink: string[]) => ({
    stdout: () => {
      throw new TypeError("stdout closed");
    },
    stderr: (text: string) => void sink.push(text),
    cwd: root,
  });
  const plain: string[] = [];
  t.equal(await main(["--version"], io(plain)), 70);
  t.equal(plain.join(""), "internal error: stdout closed\nRun again with --debug for the stack trace, and report it as a bug.\n");
  const debug: string[] = [];
  t.equal(await main(["--version", "--debug"], io(debug)), 70);
  t.match(debug.join(""), /^internal error: stdout closed\nTypeError: stdout closed\n\s+at /);
  const text: string[] = [];
  const throwsText = {
    stdout: () => {
      throw "not an Error";
    },
    stderr: (s: string) => void text.push(s),
    cwd: root,
  };
  t.equal(await main(["--debug", "--version"], throwsText), 70);
  t.match(text.join(""), /^internal error: not an Error\nRun again with --debug/);
});

t.test("Ctrl-C: first stops between requests, second quits", async (t) => {
  const controller = new AbortController();
  const lines: string[] = [];
  const exits: number[] = [];
  const handler = interruptHandler(
    controller,
    (line) => lines.push(line),
    (code) => void exits.push(code),
  );
  handler();
  t.ok(controller.signal.aborted);
  t.match(lines[0], /^interrupted: stopping after the requests in flight/);
  t.same(exits, []);
  handler();
  t.same(exits, [130]);
});

t.test("each command loads under its own name, in the usage's order", async (t) => {
  const names = (await loadCommands()).map((command) => command.name);
  t.same(names, ["init", "import", "vet", "check", "build", "values", "schema", "diff", "apply", "status", "history", "rollback", "delete", "local"]);
  const usage = (await cli(["--help"])).stdout;
  t.same(
    [...usage.matchAll(/^ {2}([a-z]+) {2,}\S/gm)].map((m) => m[1]),
    names,
    "--help lists them all",
  );
  t.match((await cli(["help", "build"])).stdout, /^Render the Kubernetes manifests/, "help <command>");
  t.match((await cli(["help", "nope"])).stdout, /^chroma-mod .*: typed Chroma deployments/, "help of an unknown topic: the usage");
});

t.test("every command's --help prints every flag with what it does", async (t) => {
  for (const command of await loadCommands()) {
    const help = (await cli([command.name, "--help"])).stdout;
    for (const [name, option] of Object.entries(command.options)) {
      const line = help.split("\n").find((l) => l.startsWith(`  ${option.short === undefined ? "" : `-${option.short}, `}--${name} `) || l === `  --${name}`);
      t.ok(line, `${command.name} --help lists --${name}`);
      t.match(line, new RegExp(`--${name}(?: <value>)?\\s{2,}[A-Za-z(]`), `${command.name} --${name} has a description`);
    }
    t.notMatch(help, "undefined", `${command.name}: no option without a description`);
  }
  const apply = (await cli(["apply", "--help"])).stdout;
  t.match(apply, /--timeout <value>\s+How long to wait for readiness \(default 5m\)/);
  t.match(apply, /--set <value>\s+Override a value: .* \(repeatable\)/);
  t.match((await cli(["init", "--help"])).stdout, /--force\s+Overwrite an existing bundle file/, "a command's own meaning of a flag");
});
