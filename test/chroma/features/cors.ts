/** CORS: the allowed origin gets Access-Control-Allow-Origin (simple request and preflight), another does not. */
import type { Test } from "tap";
import { http } from "../harness.ts";
import { allowedOrigin, apiPath, is1x, otherOrigin, type SuiteContext } from "../suite/context.ts";

/** CORS answers for the allowed and another origin: a simple GET of the heartbeat, and a preflight of an API route. */
async function corsAnswers(version: string, port: number) {
  const heartbeat = is1x(version) ? "/api/v2/heartbeat" : "/api/v1/heartbeat";
  const preflight = (origin: string) =>
    http(port, apiPath(version), {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type,x-chroma-token" },
    });
  return {
    heartbeat,
    getAllowed: await http(port, heartbeat, { headers: { Origin: allowedOrigin } }),
    getOther: await http(port, heartbeat, { headers: { Origin: otherOrigin } }),
    preflightAllowed: await preflight(allowedOrigin),
    preflightOther: await preflight(otherOrigin),
  };
}

const acao = (res: { headers: Headers }) => res.headers.get("access-control-allow-origin");

async function checkCors(t: Test, version: string, port: number): Promise<void> {
  const a = await corsAnswers(version, port);
  t.equal(acao(a.getAllowed), allowedOrigin, `GET ${a.heartbeat} from ${allowedOrigin}: Access-Control-Allow-Origin`);
  t.equal(acao(a.getOther), null, `GET ${a.heartbeat} from ${otherOrigin}: no Access-Control-Allow-Origin`);
  t.ok(a.preflightAllowed.status >= 200 && a.preflightAllowed.status < 300, `preflight from ${allowedOrigin} → 2xx (got ${a.preflightAllowed.status})`, {
    body: a.preflightAllowed.body,
  });
  t.equal(acao(a.preflightAllowed), allowedOrigin, `preflight from ${allowedOrigin}: Access-Control-Allow-Origin`);
  t.equal(acao(a.preflightOther), null, `preflight from ${otherOrigin}: no Access-Control-Allow-Origin (status ${a.preflightOther.status})`);
}

/** The subtest `name` that proves `feature` (cors, or corsWithAuth on a pod with auth on). */
export async function corsTest(t: Test, ctx: SuiteContext, name: string, feature: "cors" | "corsWithAuth", port: number): Promise<void> {
  await t.test(name, async (t) => {
    ctx.feature(feature, t);
    await checkCors(t, ctx.version, port);
  });
}
