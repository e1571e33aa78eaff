/**
 * With auth on, no request without credentials reaches Chroma, on any version (issue 12): each real server,
 * started from the rendered pod with token auth, lists its own routes (its OpenAPI document, read with the token),
 * and every route, with every method it declares and the smallest body its schema accepts, is sent without
 * credentials. Each must get the auth proxy's own 401 (so the request never reached Chroma), but heartbeat,
 * healthcheck and version, left open for probes. On 1.x, which documents only /api/v2, each route's /api/v1 twin is
 * sent too. A control: the same server answers with the token.
 *
 * Why the proxy is in front of 0.x too: this test, run against the 0.x servers' own auth, got 200 from 0.6.3 for
 * DELETE /api/v2/tenants/{tenant}/databases/{database} without credentials, 200 from 0.5+ for GET
 * pre-flight-checks, and 0.5.0's answers to bad bodies (500) before it looked at the credentials.
 */
import t from "tap";
import { cleanups, giveToken, prerequisites, tokenValues, withStarted } from "./auth-checks.ts";
import { preparePod } from "./auth-tokens.ts";

const token = Buffer.from("RouteTableToken0123456789"); // letters and digits: all 0.4.8 accepts
const versions = ["0.4.8", "0.4.24", "0.5.0", "0.5.23", "0.6.3", "1.0.21", "1.5.9"] as const;

/** The routes the proxy leaves open (no credentials needed), on every version: for probes and version checks. */
const open = /^\/api\/v[12]\/(heartbeat|healthcheck|version)$/;

/** A route's path with its parameters filled in: names for tenants and databases, a UUID for the rest. */
function concrete(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    /tenant/.test(name) ? "default_tenant" : /database/.test(name) ? "default_database" : "3f2a1c4e-0000-4000-8000-000000000000",
  );
}

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
};

/**
 * The smallest body the route's schema accepts (its required fields, each the simplest value of its type), so that
 * a server that checks the body before the credentials gets past that check and must decide on the credentials.
 */
function example(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): unknown {
  if (!schema || depth > 12) return {};
  if (schema.$ref) return example(components[schema.$ref.split("/").pop()!], components, depth + 1);
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return example(choice.find((c) => c.type !== "null") ?? choice[0], components, depth + 1);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => example(part, components, depth + 1)));
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "string":
      return schema.format === "uuid" ? "3f2a1c4e-0000-4000-8000-000000000000" : "x";
    case "integer":
    case "number":
      return 1;
    case "boolean":
      return false;
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => example(schema.items, components, depth + 1));
    default:
      return Object.fromEntries((schema.required ?? []).map((key) => [key, example(schema.properties?.[key], components, depth + 1)]));
  }
}

async function send(port: number, method: string, path: string, auth: boolean, body?: unknown): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: method.toUpperCase(),
    headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${token.toString()}` } : {}) },
    ...(["post", "put", "patch"].includes(method) ? { body: JSON.stringify(body ?? {}) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: await response.text() };
}

for (const version of versions) {
  if (!prerequisites(version)) continue;
  await t.test(`Chroma ${version}, token auth: every route of its OpenAPI document refuses a client without credentials`, async (t) => {
    const pod = await preparePod(version, tokenValues("Authorization", false));
    cleanups.push(pod);
    giveToken(pod, token, false);
    await withStarted(t, pod, async () => {
      const document = await send(pod.port, "get", "/openapi.json", true);
      t.equal(document.status, 200, "the server's OpenAPI document (with the token)");
      type Operation = { requestBody?: { content?: Record<string, { schema?: Schema }> } };
      const spec = JSON.parse(document.body) as { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };
      const components = spec.components?.schemas ?? {};
      const routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([m]) => ["get", "post", "put", "patch", "delete", "head"].includes(m))
          .map(([method, operation]) => ({ method, path, body: example(operation.requestBody?.content?.["application/json"]?.schema, components) })),
      );
      // 1.x documents only /api/v2: the /api/v1 twin of each route (what a 0.x client sends) must be refused too.
      if (version.startsWith("1."))
        for (const route of [...routes])
          if (route.path.startsWith("/api/v2/") && !routes.some((r) => r.method === route.method && r.path === route.path.replace("/api/v2/", "/api/v1/")))
            routes.push({ ...route, path: route.path.replace("/api/v2/", "/api/v1/") });
      t.ok(routes.length >= 15, `${routes.length} routes`);
      const leaks: string[] = [];
      let refused = 0;
      let opened = 0;
      for (const { method, path, body } of routes) {
        const answer = await send(pod.port, method, concrete(path), false, body);
        if (open.test(path)) {
          opened++;
          continue;
        }
        if (answer.status === 401 && /missing or invalid token/.test(answer.body)) refused++;
        else leaks.push(`${method.toUpperCase()} ${path}: ${answer.status} ${answer.body.slice(0, 120)}`);
      }
      t.same(leaks, [], `${refused} routes refused without credentials, ${opened} open for probes`);
      t.ok(refused > 10, "most routes were tried");
      // The newest API generation's list of collections (0.6.3 answers 400 on /api/v1: deprecated).
      const lists = routes.filter((r) => r.method === "get" && r.path.endsWith("/collections"));
      const list = lists.find((r) => r.path.startsWith("/api/v2/")) ?? lists[0]!;
      const control = await send(pod.port, "get", concrete(list.path), true);
      t.equal(control.status, 200, `the control: GET ${list.path} with the token answers 200`);
    });
  });
}
