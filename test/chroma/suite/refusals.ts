/** The "no" cells of a version's row: `vet` refuses the values that would need them, or the render leaves them out. */
import type { Test } from "tap";
import { ValidationError } from "../../../engine/errors.ts";
import { instanceName, render } from "../harness.ts";
import { allowedOrigin, type SuiteContext } from "./context.ts";
import { configMapData, containerNames } from "./rendered.ts";

const issuesOf = (error: unknown) => (error instanceof ValidationError ? error.issues : error);

function refuseAuthTypes(t: Test, ctx: SuiteContext): void {
  for (const [f, values] of [
    ["tokenAuthorization", { auth: { enabled: true, type: "token", token: { tokenHeader: "Authorization" } } }],
    ["tokenXChromaToken", { auth: { enabled: true, type: "token", token: { tokenHeader: "X-Chroma-Token" } } }],
    ["basicAuth", { auth: { enabled: true, type: "basic" } }],
  ] as const) {
    if (ctx.row[f].support === "yes") continue;
    ctx.feature(f, t);
    const error = t.throws(() => render({ chromadb: { apiVersion: ctx.version, ...values } })) as unknown;
    t.type(error, ValidationError, `${f}: vet refuses (${ctx.row[f].reason})`);
    t.ok(
      error instanceof ValidationError && error.issues.some((i) => i.path === `${instanceName}.values.chromadb.auth.type`),
      `${f}: the issue points at chromadb.auth.type`,
      { issues: issuesOf(error) },
    );
  }
}

function refuseCorsWithAuth(t: Test, ctx: SuiteContext): void {
  ctx.feature("corsWithAuth", t);
  const auth = ctx.basic && !ctx.tokenA ? { enabled: true, type: "basic" as const } : { enabled: true };
  const error = t.throws(() => render({ chromadb: { apiVersion: ctx.version, auth, corsAllowOrigins: [allowedOrigin] } })) as unknown;
  t.ok(
    error instanceof ValidationError && error.issues.some((i) => /chromadb\.(corsAllowOrigins|auth\.type)$/.test(i.path)),
    "corsWithAuth: vet refuses CORS together with auth on this version",
    { issues: issuesOf(error) },
  );
}

function refuseLogConfig(t: Test, ctx: SuiteContext): void {
  ctx.feature("logConfig", t);
  const error = t.throws(() => render({ chromadb: { apiVersion: ctx.version, logConfig: "version: 1\n" } })) as unknown;
  t.ok(
    error instanceof ValidationError && error.issues.some((i) => i.path === `${instanceName}.values.chromadb.logConfig`),
    "logConfig: vet refuses chromadb.logConfig",
    { error },
  );
  t.notOk(configMapData(render({ chromadb: { apiVersion: ctx.version } }).objects)["log_config.yaml"], "logConfig: no log_config.yaml is rendered");
}

function noAuthProxy(t: Test, ctx: SuiteContext): void {
  ctx.feature("authProxy", t);
  const auth = ctx.tokenA ? { enabled: true, type: "token" as const } : ctx.basic ? { enabled: true, type: "basic" as const } : { enabled: false };
  const objects = render({ chromadb: { apiVersion: ctx.version, auth } }).objects;
  t.same(containerNames(objects), ["chroma"], `authProxy: no sidecar (auth ${auth.enabled ? auth.type : "off"})`);
  t.notOk(configMapData(objects)["nginx.conf"], "authProxy: no nginx.conf");
}

export async function refusals(t: Test, ctx: SuiteContext): Promise<void> {
  await t.test(`Chroma ${ctx.version}: what the version cannot do is refused or absent`, async (t) => {
    refuseAuthTypes(t, ctx);
    if (ctx.row.corsWithAuth.support === "no") refuseCorsWithAuth(t, ctx);
    if (ctx.row.logConfig.support === "no") refuseLogConfig(t, ctx);
    if (ctx.row.authProxy.support === "no") noAuthProxy(t, ctx);
  });
}
