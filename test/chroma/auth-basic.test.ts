/**
 * Basic credentials from `auth.existingSecret` on real servers started from the rendered pod (issue 15 §2): on 1.5.9
 * behind the rendered nginx proxy and on 0.6.3 and 0.4.24, which check them themselves. A password with ':', spaces
 * and UTF-8 works; htpasswd lines that are not `user:<bcrypt>` (a user name with ':') stop the container that reads
 * the file at start, the htpasswd file checked by the rendered command before the server starts, never echoed.
 */
import t from "tap";
import { htpasswdLine } from "../../engine/apply/generated.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import { apiPath, checkRefusedAtStart, cleanups, deniedStatus, mine, prerequisites, withStarted } from "./auth-checks.ts";
import { preparePod, rawGet } from "./auth-tokens.ts";
import { basicHeader } from "./harness.ts";

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

for (const version of ["1.5.9", "0.6.3", "0.4.24"] as const) {
  if (prerequisites(version)) await basicFromExistingSecret(version);
}
