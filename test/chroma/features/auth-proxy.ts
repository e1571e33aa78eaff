/**
 * The auth proxy, on every version with auth: the sidecar really is nginx running the rendered nginx.conf (paths
 * mapped) with the token check its start script generates, as the rendered non-root user, in front of a Chroma that
 * listens on loopback only (1.x with no auth of its own; a 0.x server checks the credentials again).
 */
import { readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import type { Test } from "tap";
import { parse as parseYaml } from "yaml";
import { http } from "../harness.ts";
import { rewritePaths, type RunningPod } from "../runner.ts";
import { apiPath, is1x, serverDeniedStatus, type SuiteContext } from "../suite/context.ts";
import { configMapData, containerNames, statefulSet } from "../suite/rendered.ts";
import type { Served } from "../suite/serve.ts";
import type { Credentials } from "./auth.ts";

/** The proxy really is nginx running the rendered nginx.conf (paths mapped) with the generated token check, as non-root. */
function checkProxyIsRenderedNginx(t: Test, served: Served, pod: RunningPod, right: Credentials): void {
  const proxy = pod.containers.get("auth-proxy");
  if (!t.ok(proxy, "the pod has an auth-proxy container")) return;
  t.equal(readlinkSync(`/proc/${proxy!.child.pid}/exe`), "/usr/sbin/nginx", "the auth-proxy process is nginx (sh exec'd it)");
  const status = readFileSync(`/proc/${proxy!.child.pid}/status`, "utf8");
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  const renderedUid = statefulSet(served.instance.objects).spec.template.spec.securityContext?.runAsUser;
  if (process.getuid?.() === 0) t.equal(Number(uid), renderedUid, `nginx runs as the rendered non-root uid ${renderedUid}`);
  const conf = configMapData(served.instance.objects)["nginx.conf"];
  if (!t.ok(conf, "the ConfigMap has nginx.conf")) return;
  const mounts = pod.mounts.get("auth-proxy")!;
  const confFile = join(mounts.get("/etc/chroma-proxy")!, "nginx.conf");
  t.equal(readFileSync(confFile, "utf8"), rewritePaths(conf!, mounts), "the nginx.conf in the proxy's mount = the rendered one (paths mapped)");
  t.match(readFileSync(`/proc/${proxy!.child.pid}/cmdline`, "utf8").split("\0").join(" "), `-c ${confFile}`, "nginx runs that file");
  if (right.kind === "token") {
    const check = readFileSync(join(mounts.get("/tmp")!, "nginx", "chroma-token.conf"), "utf8");
    t.match(check, /\$chroma_credentials_ok/, "the start script generated the token check nginx includes");
    t.notOk(check.includes(right.token), "the generated check holds the token only as \\xHH escapes");
  }
  const config = configMapData(served.instance.objects)["config.yaml"];
  if (config !== undefined) {
    const chromaConfig = parseYaml(config) as Record<string, unknown>;
    t.equal(chromaConfig.listen_address, "127.0.0.1", "Chroma behind the proxy listens on loopback only");
    t.equal(chromaConfig.port, served.upstreamPort, "Chroma listens on proxy.upstreamPort");
  } else {
    const args = readFileSync(`/proc/${pod.containers.get("chroma")!.child.pid}/cmdline`, "utf8").split("\0");
    t.match(args.join(" "), `--host 127.0.0.1 --port ${served.upstreamPort}`, "the 0.x server behind the proxy listens on loopback, on proxy.upstreamPort");
  }
}

/** The subtest that proves the `authProxy` cell on an auth pod (token, or basic where the version has no token auth). */
export async function authProxyTest(t: Test, ctx: SuiteContext, served: Served, pod: RunningPod, right: Credentials): Promise<void> {
  await t.test("auth proxy is the rendered nginx", async (t) => {
    ctx.feature("authProxy", t);
    checkProxyIsRenderedNginx(t, served, pod, right);
    const refused = await http(served.port, apiPath(ctx.version));
    if (right.kind === "token") t.match(refused.body, /missing or invalid token/, "a refused request is answered by the proxy's rendered 401 body");
    else t.match(refused.headers.get("www-authenticate") ?? "", /^Basic realm="chroma"/, "a refused request gets nginx's auth_basic challenge");
    const direct = await http(served.upstreamPort, apiPath(ctx.version));
    if (is1x(ctx.version)) t.equal(direct.status, 200, "Chroma itself (loopback upstream) has no auth: the proxy is what enforces it");
    else t.equal(direct.status, serverDeniedStatus(ctx.version), "the 0.x server behind the proxy checks the credentials again");
  });
}

/** On a basic-auth pod: the sidecar is there and answers with nginx's auth_basic challenge. */
export async function checkProxyBasicChallenge(t: Test, ctx: SuiteContext, served: Served): Promise<void> {
  t.equal(containerNames(served.instance.objects).join(","), "chroma,auth-proxy", "the sidecar enforces basic auth");
  const refused = await http(served.port, apiPath(ctx.version));
  t.match(refused.headers.get("www-authenticate") ?? "", /^Basic realm="chroma"/, "nginx's auth_basic challenge (realm chroma)");
}
