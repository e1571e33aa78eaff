import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import t, { type Test } from "tap";
import { chromaPins, ensureVenv, INSTALL_VENV_SCRIPT, pypiStandIn, venvDir, venvReady } from "../../localcluster/node/venv.ts";
import { chromaReleases, imageOnlyReleases } from "../../schemas/releases.ts";

const versions = JSON.parse(readFileSync(new URL("../chroma/versions.json", import.meta.url), "utf8")) as { versions: { version: string; pins: string[] }[] };

async function withEnv<T>(vars: Record<string, string>, f: () => Promise<T> | T): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await f();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * A stand-in for python3, enough for install-venv.sh, without network: `-c …` prints the Python version; `-m venv DIR`
 * counts itself in $FAKE_COUNT and makes DIR/bin/python (accepts the chromadb version check) and DIR/bin/pip, which
 * by $FAKE_PIP: "ok" installs (bin/uvicorn, bin/chroma); "fail" fails after 21 lines of output; "wait" writes its pid
 * to $FAKE_PID and waits for the file $FAKE_GO, then installs.
 */
const FAKE_PYTHON = `#!/usr/bin/env bash
set -eu
if [[ $1 == -c ]]; then echo 3.11.7; exit 0; fi
[[ $1 == -m && $2 == venv ]] || exit 3
echo venv >>"$FAKE_COUNT"
mkdir -p "$3/bin"
printf '#!/usr/bin/env bash\\nexit 0\\n' >"$3/bin/python"
cat >"$3/bin/pip" <<'EOF'
#!/usr/bin/env bash
echo "fake pip $*"
case $FAKE_PIP in
  fail) for i in $(seq 20); do echo "step $i"; done; echo "ERROR: No matching distribution found for $2" >&2; exit 1 ;;
  wait) echo $$ >"$FAKE_PID"; while [[ ! -e $FAKE_GO ]]; do sleep 0.05; done ;;
esac
touch "$(dirname "$0")/uvicorn" "$(dirname "$0")/chroma"
EOF
chmod +x "$3/bin/python" "$3/bin/pip"
`;

/** A temp cache dir and fake Python; `env` are the variables a test sets around its calls. */
function fixture(t: Test) {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-venv-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const python = join(dir, "python3");
  writeFileSync(python, FAKE_PYTHON);
  chmodSync(python, 0o755);
  const cache = join(dir, "cache");
  const count = join(dir, "venv-count");
  const env = { CHROMA_MOD_PYTHON: python, FAKE_COUNT: count, FAKE_PIP: "ok", FAKE_PID: join(dir, "pip.pid"), FAKE_GO: join(dir, "go") };
  const venvsMade = () => (existsSync(count) ? readFileSync(count, "utf8").split("\n").filter(Boolean).length : 0);
  return { cache, env, venvsMade };
}

function stampKey(version: string, pins: string[]): string {
  return createHash("sha256")
    .update(["python=3.11.7", `chromadb==${version}`, ...pins].map((l) => `${l}\n`).join(""))
    .digest("hex")
    .slice(0, 16);
}

/** The process is gone (or a zombie nobody reaped yet: in a container, pid 1 may not reap). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /s, "")
      .startsWith("Z");
  } catch {
    return true;
  }
}

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; !ok(); i++) {
    if (i > 200) throw new Error("timed out");
    await sleep(50);
  }
}

t.test("pypiStandIn: a release published as an image only runs from the next PyPI release of its minor line", async (t) => {
  t.equal(pypiStandIn("1.5.3"), "1.5.4", "the Helm chart 0.2.2's default");
  t.equal(pypiStandIn("1.5.9"), "1.5.9", "a PyPI release stands for itself");
  t.ok(imageOnlyReleases.length > 0);
  for (const version of imageOnlyReleases) {
    const wheel = pypiStandIn(version);
    t.not(wheel, version, `${version} has a stand-in`);
    t.ok((chromaReleases as readonly string[]).includes(wheel), `${wheel} is a supported release`);
    t.ok(!imageOnlyReleases.includes(wheel as never), `${wheel} is on PyPI`);
    t.equal(wheel.split(".").slice(0, 2).join("."), version.split(".").slice(0, 2).join("."), `${wheel} is of ${version}'s minor line`);
  }
});

t.test("chromaPins gives the pins of every version in test/chroma/versions.json", async (t) => {
  t.ok(versions.versions.length >= 9);
  for (const v of versions.versions) t.same(chromaPins(v.version), v.pins, v.version);
});

t.test("chromaPins of versions not in versions.json", async (t) => {
  t.same(chromaPins("0.3.29"), ["numpy<2", "posthog<6"]);
  t.same(chromaPins("0.4.12"), ["numpy<2", "posthog<6"], "0.4.12 caps fastapi below 0.100 itself");
  t.same(chromaPins("0.4.13"), ["numpy<2", "posthog<6", "fastapi<0.132"]);
  t.same(chromaPins("0.4.20"), ["numpy<2", "posthog<6", "fastapi<0.132"]);
  t.same(chromaPins("0.5.5"), ["numpy<2", "posthog<6", "fastapi<0.132"]);
  t.same(chromaPins("0.5.6"), ["posthog<6", "fastapi<0.132"], "numpy 2 from 0.5.6 on");
  t.same(chromaPins("0.6.0"), ["posthog<6", "fastapi<0.132"]);
  t.same(chromaPins("1.0.0"), []);
  t.same(chromaPins("1.0.0rc1"), []);
  t.same(chromaPins("1.5.3"), []);
  for (const bad of ["latest", "1.5", "../1.5.9", "1.5.9/x", ""]) t.throws(() => chromaPins(bad), { message: `Not a Chroma version: "${bad}"` }, bad);
});

t.test("venvDir and venvReady", async (t) => {
  const { cache } = fixture(t);
  t.equal(venvDir("1.5.9", cache), join(cache, "venvs", "1.5.9"));
  await withEnv({ CHROMA_MOD_CACHE: cache }, () => t.equal(venvDir("1.5.9"), join(cache, "venvs", "1.5.9")));
  await withEnv({ CHROMA_MOD_CACHE: "" }, () => t.equal(venvDir("1.5.9"), join(homedir(), ".cache", "chroma-mod", "venvs", "1.5.9")));
  t.throws(() => venvDir("../x", cache), /Not a Chroma version/);
  t.notOk(venvReady("1.5.9", cache));
  t.ok(existsSync(INSTALL_VENV_SCRIPT), INSTALL_VENV_SCRIPT);
});

t.test("ensureVenv installs once, then finds the venv up to date", async (t) => {
  const { cache, env, venvsMade } = fixture(t);
  await withEnv(env, async () => {
    const lines: string[] = [];
    const dir = await ensureVenv("0.5.0", { cacheDir: cache, log: (l) => lines.push(l) });
    t.equal(dir, join(cache, "venvs", "0.5.0"));
    t.match(lines, [
      /^0\.5\.0: installing chromadb==0\.5\.0 numpy<2 posthog<6 fastapi<0\.132 \(log: .*\/venvs\/\.logs\/0\.5\.0\.log\)$/,
      /^0\.5\.0: installed in \d+s$/,
    ]);
    t.equal(lines.length, 2);
    t.equal(readFileSync(join(dir, ".chroma-mod-stamp"), "utf8"), `${stampKey("0.5.0", chromaPins("0.5.0"))}\n`, "the stamp key of setup-venvs.sh");
    t.match(readFileSync(join(cache, "venvs", ".logs", "0.5.0.log"), "utf8"), "fake pip install chromadb==0.5.0 numpy<2 posthog<6 fastapi<0.132");
    t.ok(venvReady("0.5.0", cache));
    t.notOk(venvReady("1.0.21", cache));

    lines.length = 0;
    t.equal(await ensureVenv("0.5.0", { cacheDir: cache, log: (l) => lines.push(l) }), dir);
    t.same(lines, [`0.5.0: up to date (${dir})`]);
    t.equal(venvsMade(), 1);
  });
});

t.test("ensureVenv with the default cache dir and no log; concurrent calls share one install", async (t) => {
  const { cache, env, venvsMade } = fixture(t);
  await withEnv({ ...env, CHROMA_MOD_CACHE: cache }, async () => {
    const [a, b] = await Promise.all([ensureVenv("1.5.3"), ensureVenv("1.5.3")]);
    t.equal(a, join(cache, "venvs", "1.5.3"));
    t.equal(b, a);
    t.equal(venvsMade(), 1);
    t.ok(venvReady("1.5.3"));
  });
});

t.test("a failed install rejects naming the version, its log and the last lines", async (t) => {
  const { cache, env } = fixture(t);
  await withEnv({ ...env, FAKE_PIP: "fail" }, async () => {
    const lines: string[] = [];
    const log = join(cache, "venvs", ".logs", "0.6.3.log");
    await t.rejects(ensureVenv("0.6.3", { cacheDir: cache, log: (l) => lines.push(l) }), {
      message: `Chroma 0.6.3: installing its Python virtualenv ${join(cache, "venvs", "0.6.3")} failed (exit 1); log: ${log}. Last lines:\n`,
    });
    const error = await ensureVenv("0.6.3", { cacheDir: cache }).catch((e: Error) => e);
    // The FAILED line and the log's last 15 lines (the log has 22).
    t.match(
      String(error),
      /Last lines:\n0\.6\.3: FAILED after \d+s, last lines of .*0\.6\.3\.log:\nstep 7\n(step \d+\n){13}ERROR: No matching distribution found for chromadb==0\.6\.3$/,
    );
    t.match(lines, [/^0\.6\.3: installing/, /^0\.6\.3: FAILED after \d+s, last lines of /]);
    t.match(readFileSync(log, "utf8"), "ERROR: No matching distribution found for chromadb==0.6.3");
    t.notOk(venvReady("0.6.3", cache));
    t.notOk(existsSync(join(cache, "venvs", "0.6.3", ".chroma-mod-stamp")));
  });
});

t.test("ensureVenv rejects a non-version, and when bash cannot run", async (t) => {
  const { cache, env } = fixture(t);
  await t.rejects(ensureVenv("latest", { cacheDir: cache }), { message: /^Not a Chroma version: "latest"/ });
  await withEnv({ ...env, PATH: join(cache, "no-bin") }, async () => {
    await t.rejects(ensureVenv("1.0.21", { cacheDir: cache }), { message: `Chroma 1.0.21: cannot run bash ${INSTALL_VENV_SCRIPT}: spawn bash ENOENT` });
  });
});

t.test("aborting: the caller stops waiting; the install is killed once no caller waits for it", async (t) => {
  const { cache, env, venvsMade } = fixture(t);
  await withEnv({ ...env, FAKE_PIP: "wait" }, async () => {
    const before = new AbortController();
    before.abort(new Error("gave up before"));
    await t.rejects(ensureVenv("0.4.24", { cacheDir: cache, signal: before.signal }), { message: "gave up before" });
    t.equal(venvsMade(), 0, "nothing started");

    // Two callers, one gives up: the other gets the venv.
    const quitter = new AbortController();
    const stays = ensureVenv("0.4.24", { cacheDir: cache });
    const quits = ensureVenv("0.4.24", { cacheDir: cache, signal: quitter.signal });
    await until(() => existsSync(env.FAKE_PID));
    quitter.abort(new Error("pod deleted"));
    await t.rejects(quits, { message: "pod deleted" });
    writeFileSync(env.FAKE_GO, "");
    t.equal(await stays, join(cache, "venvs", "0.4.24"));
    t.ok(venvReady("0.4.24", cache));
    rmSync(env.FAKE_GO);
    rmSync(env.FAKE_PID);

    // The only caller gives up: pip is killed; a new call right after starts a new install.
    const only = new AbortController();
    const lines: string[] = [];
    const first = ensureVenv("1.0.21", { cacheDir: cache, signal: only.signal, log: (l) => lines.push(l) }).catch((e: Error) => e);
    await until(() => existsSync(env.FAKE_PID));
    const pip = Number(readFileSync(env.FAKE_PID, "utf8"));
    only.abort(new Error("agent stopping"));
    t.match(await first, { message: "agent stopping" });
    process.env["FAKE_PIP"] = "ok";
    const again = ensureVenv("1.0.21", { cacheDir: cache });
    t.equal(await again, join(cache, "venvs", "1.0.21"));
    t.ok(gone(pip), "the waiting pip was killed");
    t.match(lines, [/^1\.0\.21: installing chromadb==1\.0\.21 +\(log: /]);
    t.equal(venvsMade(), 3);
  });
});
