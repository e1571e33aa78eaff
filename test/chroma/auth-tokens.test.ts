/**
 * Auth holds for any credential the user brings (issue 15 §2), on real servers started from the rendered pod:
 *
 * - 1.5.9 and 1.0.21 behind the rendered nginx proxy: every hostile token (test/chroma/auth-tokens.ts) with both
 *   headers, from `auth.existingSecret` and from the generated Secret (as apply keeps it when the user put the
 *   token there), matches only itself — the right bytes get Chroma's 200, every near miss the proxy's 401; tokens
 *   that cannot be sent in a header stop the proxy at start with the reason on stderr, never the token; htpasswd
 *   lines that are not `user:<bcrypt>` (a user name with ':') stop it the same way, and a password with ':', spaces
 *   and UTF-8 works;
 * - 0.6.3 and 0.4.24, which check tokens themselves (env from the Secret): the same tokens match only themselves;
 *   a token Chroma does not accept (outside letters, digits and punctuation) stops 0.4 at start, and makes 0.5-0.6
 *   refuse every request (fail closed); basic credentials from an existing Secret as on 1.x, the htpasswd file
 *   checked by the rendered command before the server starts.
 */
import t, { type Test } from "tap";
import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { fillSecretData, htpasswdLine } from "../../engine/apply/generated.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import {
  busyboxProfile,
  hostileTokens,
  issueTokens,
  nearMisses,
  preparePod,
  rawGet,
  secretValue,
  tokenHeader,
  unsendableTokens,
  type HostileToken,
  type ServedPod,
  type TokenHeader,
} from "./auth-tokens.ts";
import { basicHeader, pythonClient, requireHostPrograms, requireVenv } from "./harness.ts";
import { PodStartError } from "./runner.ts";

const headers: readonly TokenHeader[] = ["Authorization", "X-Chroma-Token"];
const mine = "my-auth";

function apiPath(version: string): string {
  return version.startsWith("0.4.") ? "/api/v1/collections" : "/api/v2/tenants/default_tenant/databases/default_database/collections";
}
function deniedStatus(version: string): number {
  return version.startsWith("0.5.") || version.startsWith("0.6.") ? 403 : 401;
}
function healthPath(version: string): string {
  return version.startsWith("0.") ? "/api/v1/heartbeat" : "/api/v2/heartbeat";
}

function tokenValues(header: TokenHeader, existing: boolean): ValuesInput {
  return { chromadb: { auth: { enabled: true, type: "token", token: { tokenHeader: header }, ...(existing ? { existingSecret: mine } : {}) } } };
}

/** Puts the token in the pod's Secret: the user's own Secret, or the generated one as apply keeps an existing value. */
function giveToken(pod: ServedPod, bytes: Buffer, existing: boolean): void {
  const value = secretValue(bytes);
  if (existing) {
    pod.runner.secrets.set(mine, { token: value });
    return;
  }
  const spec = pod.instance.generatedSecrets[0]!;
  pod.runner.secrets.set(spec.metadata.name, fillSecretData(spec, { token: value }).data);
}

const cleanups: ServedPod[] = [];
t.teardown(() => {
  for (const p of cleanups) p.runner.cleanup();
});

/** The right token gets Chroma's 200, each near miss is denied, the open health path needs nothing. */
async function checkOnlyItself(t: Test, version: string, pod: ServedPod, header: TokenHeader, token: HostileToken): Promise<void> {
  const path = apiPath(version);
  t.equal(await rawGet(pod.port, path, [tokenHeader(header, token.bytes)]), 200, "the token itself → 200 from Chroma");
  for (const miss of nearMisses(header, token.bytes)) {
    t.equal(await rawGet(pod.port, path, miss.headers), deniedStatus(version), `${miss.name} → ${deniedStatus(version)}`);
  }
  t.equal(await rawGet(pod.port, healthPath(version), []), 200, "the health path stays open");
}

async function withStarted(t: Test, pod: ServedPod, body: () => Promise<void>): Promise<void> {
  const running = await pod.runner.start();
  const failures = t.counts.fail;
  try {
    await body();
  } finally {
    await running.stop();
    if (t.counts.fail > failures) t.comment(running.log());
  }
}

/** Starting must fail because a container exited with the reason; the log never holds `secret`. */
async function checkRefusedAtStart(t: Test, pod: ServedPod, container: string, reason: RegExp, secret: string): Promise<void> {
  const error = await pod.runner.start().then(
    async (running) => {
      await running.stop();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!t.type(error, PodStartError, `the pod does not start`)) return;
  const message = (error as Error).message;
  t.match(message, new RegExp(`container ${container} exited before the pod was ready \\((exit code [1-9]\\d*)\\)`), `${container} exits non-zero`);
  t.match(message, reason, "its stderr says why", { log: message.slice(0, 3000) });
  if (secret.length > 0) t.notOk(message.includes(secret), "the log never holds the credential");
}

/** CHROMA_MOD_AUTH_VERSIONS=1.5.9,0.6.3 runs only those versions (for debugging; every version runs by default). */
const only = process.env.CHROMA_MOD_AUTH_VERSIONS?.split(",");

function prerequisites(version: string): boolean {
  if (only && !only.includes(version)) return false;
  try {
    requireVenv(version);
    requireHostPrograms();
    return true;
  } catch (error) {
    t.fail(`Chroma ${version}: ${(error as Error).message}`);
    return false;
  }
}

/**
 * Basic credentials from auth.existingSecret: any password works (0.4 splits the Authorization value at every
 * ':', so there a password cannot hold one), and an htpasswd line that is not `user:<bcrypt>` stops the container
 * that reads the file (1.x: the proxy; 0.x: the server, checked by the rendered command first) without echoing it.
 */
async function basicFromExistingSecret(version: "1.5.9" | "0.6.3" | "0.4.24"): Promise<void> {
  const [container, who] = version.startsWith("1.") ? ["auth-proxy", "chroma-mod auth proxy"] : ["chroma", "chroma-mod"];
  await t.test(`Chroma ${version}: basic auth from auth.existingSecret`, async (t) => {
    const basic: ValuesInput = { chromadb: { auth: { enabled: true, type: "basic", existingSecret: mine } } };
    const colon = !version.startsWith("0.4.");
    await t.test(`a password with ${colon ? "':', " : ""}spaces and UTF-8, a user name with a space: only the right pair gets in`, async (t) => {
      const pod = await preparePod(version, basic);
      cleanups.push(pod);
      const [username, password] = ["us er", colon ? "p:ä ss w0rd" : "pä ss w0rd"];
      const line = htpasswdLine(username, password);
      pod.runner.secrets.set(mine, { username, password, htpasswd: version.startsWith("1.") ? `# made by htpasswd -nbB\n\n${line}\n` : `${line}\n` });
      await withStarted(t, pod, async () => {
        const path = apiPath(version);
        const denied = deniedStatus(version);
        const auth = (u: string, p: string): [string, Buffer] => ["Authorization", Buffer.from(basicHeader(u, p), "latin1")];
        t.equal(await rawGet(pod.port, path, [auth(username, password)]), 200, "the right pair → 200");
        t.equal(await rawGet(pod.port, path, [auth(username, password.toUpperCase())]), denied, `the password in another case → ${denied}`);
        t.equal(await rawGet(pod.port, path, [auth(username, password.slice(0, -1))]), denied, `the password without its last character → ${denied}`);
        t.equal(await rawGet(pod.port, path, [auth("us", `er:${password}`)]), denied, `the user name split at a ':' → ${denied}`);
        t.equal(await rawGet(pod.port, path, []), denied, `no credentials → ${denied}`);
      });
    });
    const hash = htpasswdLine("x", "a-password").slice(2);
    const cases: [string, string, RegExp][] = [
      [
        "a user name with ':'",
        `ad:min:${hash}\n`,
        /line 1 of the htpasswd key of Secret my-auth is not <user>:<bcrypt hash>\. A user name cannot hold a colon/,
      ],
      ["a password that is not bcrypt-hashed", "admin:a-password\n", /line 1 of the htpasswd key of Secret my-auth is not <user>:<bcrypt hash>/],
      ["Windows line endings", `admin:${hash}\r\n`, /line 1 of the htpasswd key .* \(it ends with a carriage return: use Unix line endings\)/],
      [
        "no user at all",
        "\n",
        version.startsWith("0.4.")
          ? /line 1 of the htpasswd key of Secret my-auth is not <user>:<bcrypt hash>/
          : /the htpasswd key of Secret my-auth holds no user/,
      ],
    ];
    if (version.startsWith("0."))
      cases.push([
        "a comment line (0.x reads it as a user)",
        `# users\nadmin:${hash}\n`,
        new RegExp(`line 1 of the htpasswd key of Secret my-auth is a comment, which Chroma ${version} reads as a broken user`),
      ]);
    if (version.startsWith("0.4."))
      cases.push([
        "a second user (0.4 reads only the first line)",
        `admin:${hash}\nother:${hash}\n`,
        /line 2 of the htpasswd key of Secret my-auth is a second user: Chroma 0\.4\.24 reads only the first line/,
      ]);
    for (const [name, htpasswd, reason] of cases) {
      await t.test(`refused at start: ${name}`, async (t) => {
        const pod = await preparePod(version, basic);
        cleanups.push(pod);
        pod.runner.secrets.set(mine, { username: "admin", password: "a-password", htpasswd });
        await checkRefusedAtStart(t, pod, container, new RegExp(`${who}: ${reason.source}`), name === "a user name with ':'" ? "ad:min" : hash);
      });
    }
  });
}

/* ------------------------------------------------------------------ 1.x behind the proxy */

for (const version of ["1.5.9", "1.0.21"] as const) {
  if (!prerequisites(version)) continue;

  await t.test(`Chroma ${version} behind the proxy: every token matches only itself`, async (t) => {
    for (const header of headers) {
      for (const existing of [true, false]) {
        for (const token of existing ? hostileTokens : issueTokens) {
          await t.test(`${header}, ${existing ? "auth.existingSecret" : "generated Secret"}: ${token.name}`, async (t) => {
            const pod = await preparePod(version, tokenValues(header, existing));
            cleanups.push(pod);
            giveToken(pod, token.bytes, existing);
            await withStarted(t, pod, async () => {
              await checkOnlyItself(t, version, pod, header, token);
              if (existing && token.visibleAscii && (token.bytes.length === 4096 || issueTokens.includes(token))) {
                const r = (
                  await pythonClient(version, pod.port, [
                    { name: "right", op: "crud", collection: "hostile", auth: { kind: "token", header, token: token.bytes.toString("utf8") } },
                  ])
                ).get("right")!;
                t.same(r.result, { count: 3, nearest: ["a", "b"] }, "the Python client with this token: create/add/query", { error: r.error });
              }
            });
          });
        }
      }
    }
  });

  if (version !== "1.5.9") continue;

  await t.test(`Chroma ${version}: the start script with busybox's sh, od and awk (the default Alpine proxy image)`, async (t) => {
    t.ok(existsSync("/bin/busybox"), "busybox is installed (scripts/setup.sh)");
    const profile = busyboxProfile();
    const busybox = realpathSync("/bin/busybox");
    t.equal(realpathSync(profile.programs["/bin/sh"]!), busybox, "the proxy's /bin/sh is busybox's");
    for (const applet of ["od", "awk"])
      t.equal(realpathSync(join(profile.env.PATH!.split(":")[0]!, applet)), busybox, `…and ${applet} comes first on its PATH from busybox`);
    for (const header of headers) {
      for (const token of hostileTokens.filter((x) => issueTokens.includes(x) || x.bytes.length === 4096 || !x.visibleAscii)) {
        await t.test(`${header}: ${token.name}`, async (t) => {
          const pod = await preparePod(version, tokenValues(header, true), { busyboxProxy: true });
          cleanups.push(pod);
          giveToken(pod, token.bytes, true);
          await withStarted(t, pod, () => checkOnlyItself(t, version, pod, header, token));
        });
      }
      await t.test(`${header}: a trailing newline is refused`, async (t) => {
        const pod = await preparePod(version, tokenValues(header, true), { busyboxProxy: true });
        cleanups.push(pod);
        giveToken(pod, Buffer.from("SECRETabc\n"), true);
        await checkRefusedAtStart(t, pod, "auth-proxy", /control character \(0x0a\) at byte 10 of 10/, "SECRET");
      });
    }
    await t.test("basic: the htpasswd check", async (t) => {
      const pod = await preparePod(version, { chromadb: { auth: { enabled: true, type: "basic", existingSecret: mine } } }, { busyboxProxy: true });
      cleanups.push(pod);
      pod.runner.secrets.set(mine, { username: "admin", password: "pw", htpasswd: `ad:min:${htpasswdLine("x", "pw").slice(2)}\n` });
      await checkRefusedAtStart(
        t,
        pod,
        "auth-proxy",
        /chroma-mod auth proxy: line 1 of the htpasswd key of Secret my-auth is not <user>:<bcrypt hash>/,
        "ad:min",
      );
    });
  });

  await t.test(`Chroma ${version}: a token that cannot be sent in a header stops the proxy at start`, async (t) => {
    for (const header of headers) {
      for (const token of unsendableTokens) {
        await t.test(`${header}: ${token.name}`, async (t) => {
          const pod = await preparePod(version, tokenValues(header, true));
          cleanups.push(pod);
          giveToken(pod, token.bytes, true);
          await checkRefusedAtStart(
            t,
            pod,
            "auth-proxy",
            new RegExp(`chroma-mod auth proxy: the token \\(key token of Secret ${mine}\\) (.|\\n)*${token.reason.source}(.|\\n)*Fix: `),
            token.bytes.length > 0 ? "SECRET" : "",
          );
        });
      }
    }
  });

  await basicFromExistingSecret(version);
}

/* ------------------------------------------------------------------ 0.x checks tokens itself */

for (const version of ["0.6.3", "0.4.24"] as const) {
  if (!prerequisites(version)) continue;
  await t.test(`Chroma ${version} (checks tokens itself): every token it accepts matches only itself`, async (t) => {
    for (const header of headers) {
      for (const token of header === "Authorization" ? hostileTokens : issueTokens) {
        await t.test(`${header}, auth.existingSecret: ${token.name}`, async (t) => {
          const pod = await preparePod(version, tokenValues(header, true));
          cleanups.push(pod);
          giveToken(pod, token.bytes, true);
          if (!token.visibleAscii) {
            // Chroma's own rule (check_token): ASCII letters, digits and punctuation only. Left to itself, 0.4 stops
            // with a traceback and 0.5-0.6 start and refuse every request, the right token included; the rendered
            // check stops both at start with the reason (module/templates/token-check.ts).
            const at = token.bytes.findIndex((b) => b < 0x21 || b > 0x7e);
            const hex = token.bytes[at]!.toString(16).padStart(2, "0");
            const hint = hex === "20" ? " \\(a space\\)" : hex >= "80" ? " \\(part of a non-ASCII character\\)" : "";
            const reason = `chroma-mod: the token \\(key token of Secret ${mine}\\) has byte 0x${hex}${hint} at byte ${at + 1} of ${token.bytes.length}, which Chroma ${version.replaceAll(".", "\\.")} does not accept in a token\\. Fix: `;
            return void (await checkRefusedAtStart(t, pod, "chroma", new RegExp(reason), token.bytes.toString("utf8")));
          }
          await withStarted(t, pod, () => checkOnlyItself(t, version, pod, header, token));
        });
      }
    }
  });
  await t.test(`Chroma ${version}: a token it would not accept stops the server at start`, async (t) => {
    const cases: [string, Buffer, RegExp][] = [
      ["empty", Buffer.alloc(0), /is empty/],
      [
        "a trailing newline (echo into a Secret)",
        Buffer.from("SECRETabc\n"),
        /has byte 0x0a \(a trailing newline, as echo writes: create the Secret with printf or --from-literal\) at byte 10 of 10/,
      ],
      ["a leading space", Buffer.from(" SECRETabc"), /has byte 0x20 \(a space\) at byte 1 of 10/],
      ["a non-ASCII letter", Buffer.from("SECRETä"), /has byte 0xc3 \(part of a non-ASCII character\) at byte 7 of 8/],
      ["DEL", Buffer.from("SECRET\x7f"), /has byte 0x7f at byte 7 of 7/],
    ];
    for (const [name, bytes, reason] of cases) {
      await t.test(name, async (t) => {
        const pod = await preparePod(version, tokenValues("Authorization", true));
        cleanups.push(pod);
        giveToken(pod, bytes, true);
        await checkRefusedAtStart(
          t,
          pod,
          "chroma",
          new RegExp(`chroma-mod: the token \\(key token of Secret ${mine}\\) ${reason.source}`),
          bytes.length > 0 ? "SECRET" : "",
        );
      });
    }
  });
  await basicFromExistingSecret(version);
}
