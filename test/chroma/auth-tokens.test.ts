/**
 * Auth holds for any credential the user brings (issue 15 §2), on real servers started from the rendered pod: 1.5.9
 * and 1.0.21 behind the rendered nginx proxy. Every hostile token (test/chroma/auth-tokens.ts) with both headers,
 * from `auth.existingSecret` and from the generated Secret (as apply keeps it when the user put the token there),
 * matches only itself — the right bytes get Chroma's 200, every near miss the proxy's 401; tokens that cannot be
 * sent in a header stop the proxy at start with the reason on stderr, never the token. 0.x tokens:
 * auth-tokens-0x.test.ts; basic credentials: auth-basic.test.ts.
 */
import t from "tap";
import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { htpasswdLine } from "../../engine/apply/generated.ts";
import { checkOnlyItself, checkRefusedAtStart, cleanups, giveToken, headers, mine, prerequisites, tokenValues, withStarted } from "./auth-checks.ts";
import { busyboxProfile, hostileTokens, issueTokens, preparePod, unsendableTokens } from "./auth-tokens.ts";
import { pythonClient } from "./harness.ts";

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
}
