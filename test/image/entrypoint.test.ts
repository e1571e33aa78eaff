/**
 * image/docker_entrypoint.sh without a Chroma server: shellcheck-clean POSIX sh, the data-directory check (exit 78
 * with the fix, as a non-root uid), the version dispatch, and the env it hands to the server. Starting real
 * servers through it (per version family) is test/chroma/v*.test.ts → "image/docker_entrypoint.sh".
 */
import t from "tap";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("../../image/docker_entrypoint.sh", import.meta.url));
const asRoot = process.getuid?.() === 0;
/** The image's uid/gid (image/Dockerfile); only used when the test runs as root. */
const imageUser = { uid: 1000, gid: 1000 };
const basePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function run(args: string[], env: Record<string, string>) {
  const r = spawnSync("/bin/sh", [script, ...args], {
    env: { PATH: basePath, HOME: "/tmp", ...env },
    encoding: "utf8",
    timeout: 20_000,
    ...(asRoot ? imageUser : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const base = mkdtempSync(join(tmpdir(), "chroma-mod-entrypoint-"));
chmodSync(base, 0o755);
/**
 * The script runs as the image's uid, which may not reach the clone (a clone under root's 0700 home): it runs from a
 * copy in the test's world-readable temp dir.
 */
const script = join(base, "docker_entrypoint.sh");
copyFileSync(source, script);
chmodSync(script, 0o755);
/** A directory the image user cannot write (root-owned 0755 when root; 0555 otherwise). */
const readOnlyDir = join(base, "readonly");
mkdirSync(readOnlyDir);
chmodSync(readOnlyDir, asRoot ? 0o755 : 0o555);
/** A directory the image user can write. */
const writableDir = join(base, "writable");
mkdirSync(writableDir);
if (asRoot) chownSync(writableDir, imageUser.uid, imageUser.gid);

t.teardown(() => {
  chmodSync(readOnlyDir, 0o755);
  rmSync(base, { recursive: true, force: true });
});

t.test("shellcheck: image/docker_entrypoint.sh is clean", async (t) => {
  const r = spawnSync("shellcheck", [script], { encoding: "utf8" });
  t.notOk(r.error, "shellcheck is installed (scripts/setup.sh installs it)", { error: r.error?.message });
  t.equal(r.status, 0, "no findings", { output: `${r.stdout}${r.stderr}` });
  const posix = spawnSync("shellcheck", ["--shell=sh", "--severity=style", script], { encoding: "utf8" });
  t.equal(posix.status, 0, "clean as POSIX sh at every severity", { output: `${posix.stdout}${posix.stderr}` });
});

t.test("0.x: a data directory the uid cannot write → exit 78 with the fix", async (t) => {
  const r = run(["sh", "-c", "echo started"], { CHROMA_VERSION: "0.4.24", IS_PERSISTENT: "TRUE", PERSIST_DIRECTORY: readOnlyDir });
  t.equal(r.status, 78, "exit 78 (EX_CONFIG)", r);
  t.match(r.stderr, /data directory .* is not writable by uid \d+ .*fsGroup/, "says which directory and how to fix it");
  t.notMatch(r.stdout, /started/, "the server is not started");
});

t.test("0.x: a data directory that cannot be created → exit 78", async (t) => {
  const r = run(["sh", "-c", "echo started"], { CHROMA_VERSION: "0.5.23", IS_PERSISTENT: "TRUE", PERSIST_DIRECTORY: join(readOnlyDir, "sub") });
  t.equal(r.status, 78, "exit 78", r);
  t.match(r.stderr, /cannot create data directory/, "says it cannot create it");
});

t.test("0.x: not persistent → no data directory check (any spelling pydantic reads as false)", async (t) => {
  for (const value of ["FALSE", "false", "False", "0", "no", "off"]) {
    const r = run(["sh", "-c", "echo started"], { CHROMA_VERSION: "0.6.3", IS_PERSISTENT: value, PERSIST_DIRECTORY: readOnlyDir });
    t.equal(r.status, 0, `IS_PERSISTENT=${value}: runs its arguments`, r);
  }
});

t.test("0.x: a writable data directory → runs the arguments, leaves no probe file", async (t) => {
  const r = run(["sh", "-c", 'echo started; ls -A "$PERSIST_DIRECTORY"'], { CHROMA_VERSION: "0.4.6", IS_PERSISTENT: "TRUE", PERSIST_DIRECTORY: writableDir });
  t.equal(r.status, 0, "exit 0", r);
  t.equal(r.stdout, "started\n", "the arguments ran; the write probe was removed");
});

t.test("1.x: persist_path not writable → exit 78, for the rendered `chroma run <config>` args and for CHROMA_CONFIG", async (t) => {
  const config = join(base, "config-readonly.yaml");
  writeFileSync(config, `port: 8000\nlisten_address: 0.0.0.0\npersist_path: ${readOnlyDir}\nallow_reset: false\n`, { mode: 0o644 });
  const viaArgs = run(["chroma", "run", config], { CHROMA_VERSION: "1.5.9" });
  t.equal(viaArgs.status, 78, "args `chroma run <config>`: the config named in the args is checked", viaArgs);
  t.match(viaArgs.stderr, new RegExp(`data directory ${readOnlyDir} is not writable`), "names persist_path");
  const viaEnv = run([], { CHROMA_VERSION: "1.0.21", CHROMA_CONFIG: config });
  t.equal(viaEnv.status, 78, "no args, CHROMA_CONFIG: exit 78", viaEnv);
  const quoted = join(base, "config-quoted.yaml");
  writeFileSync(quoted, `persist_path: "${readOnlyDir}"\n`, { mode: 0o644 });
  t.equal(run(["chroma", "run", quoted], { CHROMA_VERSION: "1.5.9" }).status, 78, "a quoted persist_path is read too");
});

t.test("1.x: no args and no config file → exit 78 with the fix", async (t) => {
  const r = run([], { CHROMA_VERSION: "1.5.9", CHROMA_CONFIG: join(base, "missing.yaml") });
  t.equal(r.status, 78, "exit 78", r);
  t.match(r.stderr, /no config file at .*missing\.yaml.*ignores CHROMA_\* settings/, "explains why a config file is required");
});

t.test("unknown version (no CHROMA_VERSION, no chromadb) and no args → exit 78", async (t) => {
  const r = run([], {});
  t.equal(r.status, 78, "exit 78", r);
  t.match(r.stderr, /cannot tell the Chroma version/, "asks for CHROMA_VERSION");
});

t.test("onnxruntime telemetry is opted out with Chroma's (ORT_DISABLE_TELEMETRY)", async (t) => {
  const show = ["sh", "-c", 'printf "%s" "${ORT_DISABLE_TELEMETRY-unset}"'];
  t.equal(run(show, { CHROMA_VERSION: "0.5.23", ANONYMIZED_TELEMETRY: "FALSE" }).stdout, "1", "ANONYMIZED_TELEMETRY=FALSE → ORT_DISABLE_TELEMETRY=1");
  t.equal(run(show, { CHROMA_VERSION: "0.5.23" }).stdout, "1", "unset → 1 (the image's default is off)");
  t.equal(run(show, { CHROMA_VERSION: "0.5.23", ANONYMIZED_TELEMETRY: "TRUE" }).stdout, "unset", "TRUE → left alone");
  t.equal(run(show, { CHROMA_VERSION: "0.5.23", ORT_DISABLE_TELEMETRY: "0" }).stdout, "0", "an explicit value is kept");
});
