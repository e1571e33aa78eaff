/** The basic-auth pod (versions that have basic auth): the generated htpasswd, auth, and CORS with basic auth on. */
import type { Test } from "tap";
import { authProxyTest, checkProxyBasicChallenge } from "../features/auth-proxy.ts";
import { checkAuth, type Credentials } from "../features/auth.ts";
import { corsTest } from "../features/cors.ts";
import { checkProbes } from "../features/probes.ts";
import { allowedOrigin, type SuiteContext } from "./context.ts";
import { generatedSecret, serve, withPod } from "./serve.ts";

export async function basicPod(t: Test, ctx: SuiteContext): Promise<void> {
  const { version, row } = ctx;
  if (!ctx.basic) return;
  await t.test(`Chroma ${version}: basic auth pod`, async (t) => {
    const cors = row.corsWithAuth.support === "yes" ? [allowedOrigin] : [];
    const served = await serve(version, { chromadb: { auth: { enabled: true, type: "basic", basic: { username: "chroma-user" } }, corsAllowOrigins: cors } });
    const secret = generatedSecret(served)!;
    t.equal(secret.username, "chroma-user", "generated Secret: the username from the values");
    t.match(secret.htpasswd, /^chroma-user:\$2[aby]\$10\$/, "generated Secret: a bcrypt htpasswd line");
    const right: Credentials = { kind: "basic", username: secret.username!, password: secret.password! };
    await withPod(t, served, "basic", async (pod) => {
      await checkProbes(t, pod);
      await t.test("basic auth", async (t) => {
        ctx.feature("basicAuth", t);
        await checkAuth(t, version, served.port, right, "basic");
        if (row.authProxy.support === "yes") await checkProxyBasicChallenge(t, ctx, served);
      });
      // Where the version has no token auth (0.4.7), the main pod runs without auth: the proxy is proven here.
      if (!ctx.tokenA && row.authProxy.support === "yes") await authProxyTest(t, ctx, served, pod, right);
      if (!ctx.tokenA && row.corsWithAuth.support === "yes") await corsTest(t, ctx, "CORS with basic auth on", "corsWithAuth", served.port);
    });
  });
}
