/**
 * Auth holds for any token the user brings (issue 15 §2) on 0.6.3 and 0.4.24, which check tokens themselves (env
 * from the Secret), on real servers started from the rendered pod: the hostile tokens (test/chroma/auth-tokens.ts)
 * match only themselves; a token Chroma does not accept (outside letters, digits and punctuation) stops 0.4 at start,
 * and makes 0.5-0.6 refuse every request (fail closed), so the rendered check stops both at start.
 */
import t from "tap";
import { checkOnlyItself, checkRefusedAtStart, cleanups, giveToken, headers, mine, prerequisites, tokenValues, withStarted } from "./auth-checks.ts";
import { hostileTokens, issueTokens, preparePod } from "./auth-tokens.ts";

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
}
