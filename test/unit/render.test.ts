/** Semantic asserts on rendered objects: what each version gate must produce. */
import t from "tap";
import { render } from "../../module/render.ts";
import type { KubeObject } from "../../core/types.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import { values } from "../fixtures/values.ts";

interface Container {
  name: string;
  command: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet: { path: string; port: string } };
  livenessProbe?: { httpGet: { path: string } };
  volumeMounts: { name: string; mountPath: string }[];
}

function build(input: ValuesInput) {
  const rendered = render(values(input), { name: "vec", namespace: "ns" });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read deep into rendered objects of many shapes
  const find = (kind: string) => rendered.objects.find((o) => o.kind === kind) as KubeObject & Record<string, any>;
  const sts = find("StatefulSet");
  const containers = sts.spec.template.spec.containers as Container[];
  const chroma = containers.find((c) => c.name === "chroma")!;
  const env = Object.fromEntries((chroma.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
  return { rendered, find, sts, containers, chroma, env, proxy: containers.find((c) => c.name === "auth-proxy") };
}

t.test("0.4.24 token: 0.4 provider classes, header by enum name, token from the Secret", async (t) => {
  const { env, chroma } = build({ chromadb: { apiVersion: "0.4.24", auth: { token: { tokenHeader: "X-Chroma-Token" } } } });
  t.equal(env.CHROMA_SERVER_AUTH_PROVIDER, "chromadb.auth.token.TokenAuthServerProvider");
  t.equal(env.CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER, "chromadb.auth.token.TokenConfigServerAuthCredentialsProvider");
  t.same(env.CHROMA_SERVER_AUTH_CREDENTIALS, { secretKeyRef: { name: "vec-auth", key: "token" } });
  t.equal(env.CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER, "X_CHROMA_TOKEN");
  t.same(chroma.command.slice(3), ["sh", "uvicorn"], "a check of the token, then exec uvicorn");
  t.same(chroma.args?.slice(-2), ["--timeout-keep-alive", "30"]);
  t.equal(env.IS_PERSISTENT, "TRUE");
  t.equal(env.PERSIST_DIRECTORY, "/chroma/chroma");
  t.equal(env.ANONYMIZED_TELEMETRY, "FALSE");
  t.equal(env.ORT_DISABLE_TELEMETRY, "1", "onnxruntime's own telemetry is off too");
  t.notOk("ORT_DISABLE_TELEMETRY" in build({ chromadb: { apiVersion: "0.4.24", anonymizedTelemetry: true } }).env, "opting in leaves it alone");
  t.equal(env.CHROMA_SERVER_CORS_ALLOW_ORIGINS, "[]");
});

t.test("0.4.7 basic: htpasswd file provider, the Secret's htpasswd key mounted as a file", async (t) => {
  const { env, chroma, sts, rendered } = build({ chromadb: { apiVersion: "0.4.7", auth: { type: "basic" } } });
  t.equal(env.CHROMA_SERVER_AUTH_PROVIDER, "chromadb.auth.basic.BasicAuthServerProvider");
  t.equal(env.CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER, "chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider");
  t.equal(env.CHROMA_SERVER_AUTH_CREDENTIALS_FILE, "/etc/chroma-auth/htpasswd");
  t.ok(chroma.volumeMounts.some((m) => m.name === "auth" && m.mountPath === "/etc/chroma-auth"));
  t.same(sts.spec.template.spec.volumes.find((v: { name: string }) => v.name === "auth").secret, {
    secretName: "vec-auth",
    items: [{ key: "htpasswd", path: "htpasswd" }],
  });
  t.same(Object.keys(rendered.generatedSecrets[0]!.generate), ["username", "password", "htpasswd"]);
  t.notOk(chroma.args?.includes("--timeout-keep-alive"), "0.4.7 images had no keep-alive flag");
  t.same(
    [chroma.command[0], chroma.command[1], ...chroma.command.slice(3)],
    ["/bin/sh", "-c", "sh", "uvicorn"],
    "basic: a check of the htpasswd file, then exec uvicorn with the rendered args",
  );
  t.match(chroma.command[2], /^set -eu\nawk '\n[^']*\n' \/etc\/chroma-auth\/htpasswd\nexec "\$@"\n$/);
  t.notMatch(chroma.command[2], /\$\(/, "nothing Kubernetes would expand as $(VAR)");
  t.equal(chroma.args?.[0], "chromadb.app:app");
  t.same(build({ chromadb: { apiVersion: "0.6.3", auth: { enabled: false } } }).chroma.command, ["uvicorn"], "no auth: uvicorn itself");
  for (const [version, variable] of [
    ["0.6.3", "CHROMA_SERVER_AUTHN_CREDENTIALS"],
    ["0.4.24", "CHROMA_SERVER_AUTH_CREDENTIALS"],
  ] as const) {
    const token = build({ chromadb: { apiVersion: version } }).chroma;
    t.same(
      [token.command[0], token.command[1], ...token.command.slice(3)],
      ["/bin/sh", "-c", "sh", "uvicorn"],
      `${version} token auth: a check of the token, then exec uvicorn`,
    );
    t.match(
      token.command[2],
      new RegExp(`^set -eu\\nprintf '%s' "\\$${variable}" \\| od -An -v -tx1 \\| awk '\\n[^']*'\\nexec "\\$@"\\n$`),
      `${version}: it reads ${variable}`,
    );
    t.notMatch(token.command[2], /\$\(/, "nothing Kubernetes would expand as $(VAR)");
  }
});

t.test("0.5.0 names the header by enum name, 0.5.1+ by value", async (t) => {
  t.equal(build({ chromadb: { apiVersion: "0.5.0" } }).env.CHROMA_AUTH_TOKEN_TRANSPORT_HEADER, "AUTHORIZATION");
  t.equal(
    build({ chromadb: { apiVersion: "0.5.0", auth: { token: { tokenHeader: "X-Chroma-Token" } } } }).env.CHROMA_AUTH_TOKEN_TRANSPORT_HEADER,
    "X_CHROMA_TOKEN",
  );
  t.equal(build({ chromadb: { apiVersion: "0.5.23" } }).env.CHROMA_AUTH_TOKEN_TRANSPORT_HEADER, "Authorization");
  t.equal(
    build({ chromadb: { apiVersion: "0.6.3", auth: { token: { tokenHeader: "X-CHROMA-TOKEN" } } } }).env.CHROMA_AUTH_TOKEN_TRANSPORT_HEADER,
    "X-Chroma-Token",
    "the chart's spelling is accepted",
  );
  const { env } = build({ chromadb: { apiVersion: "0.6.3" } });
  t.equal(env.CHROMA_SERVER_AUTHN_PROVIDER, "chromadb.auth.token_authn.TokenAuthenticationServerProvider");
  t.notOk("CHROMA_SERVER_AUTH_PROVIDER" in env, "no 0.4 names on 0.5+ (they would be silently ignored)");
  const basic = build({ chromadb: { apiVersion: "0.6.3", auth: { type: "basic" } } }).env;
  t.equal(basic.CHROMA_SERVER_AUTHN_PROVIDER, "chromadb.auth.basic_authn.BasicAuthenticationServerProvider");
  t.equal(basic.CHROMA_SERVER_AUTHN_CREDENTIALS_FILE, "/etc/chroma-auth/htpasswd");
});

t.test("1.x: config file, chroma run, nginx proxy in front when auth is on", async (t) => {
  const { chroma, proxy, find, env } = build({ chromadb: { apiVersion: "1.5.9" } });
  t.same(chroma.command, ["dumb-init", "--", "chroma", "run"]);
  t.same(chroma.args, ["/etc/chroma/config.yaml"]);
  t.same(Object.keys(env), ["HOME"], "settings live in the config file");
  t.notOk(chroma.ports, "Chroma listens on loopback only, behind the proxy");
  t.ok(proxy);
  t.same(proxy!.ports, [{ name: "http", containerPort: 8000, protocol: "TCP" }]);
  t.equal(proxy!.readinessProbe?.httpGet.path, "/api/v2/healthcheck");
  t.same(proxy!.env, [{ name: "CHROMA_AUTH_TOKEN", valueFrom: { secretKeyRef: { name: "vec-auth", key: "token" } } }]);
  t.same(proxy!.command, ["/bin/sh", "/etc/chroma-proxy/start.sh"], "the proxy starts through the rendered start script");
  const config = find("ConfigMap").data["config.yaml"];
  t.match(config, /port: 8001\nlisten_address: 127\.0\.0\.1\npersist_path: \/data\n/);
  const conf = find("ConfigMap").data["nginx.conf"];
  t.match(conf, /include \/tmp\/nginx\/chroma-token\.conf;/, "the token check is generated at start, not rendered");
  t.notMatch(conf, /CHROMA_AUTH_TOKEN/, "nothing is substituted into nginx.conf");
  const start = find("ConfigMap").data["start.sh"];
  t.match(start, /od -An -v -tx1 \| awk '/, "the start script escapes every byte of the token");
  t.match(start, /map \$http_authorization \$chroma_token_%d/);
  t.match(start, /\(\?s\)\^Bearer\\\\x20/, "the Bearer prefix is escaped too");
  const open = build({ chromadb: { apiVersion: "1.5.9", auth: { enabled: false } } });
  t.notOk(open.proxy, "no proxy without auth");
  t.equal(open.chroma.readinessProbe?.httpGet.path, "/api/v2/healthcheck");
  t.equal(open.chroma.livenessProbe?.httpGet.path, "/api/v2/heartbeat");
  t.match(open.find("ConfigMap").data["config.yaml"], /port: 8000\nlisten_address: 0\.0\.0\.0\n/);
  t.same(open.rendered.generatedSecrets, []);
});

t.test("1.x with auth: Chroma's own startup and liveness probes reach it through the proxy port", async (t) => {
  const { chroma, proxy } = build({ chromadb: { apiVersion: "1.5.9", serverHttpPort: 9000 } });
  const probe = (c: unknown, kind: string) =>
    (c as Record<string, { httpGet: { path: string; port: number | string }; failureThreshold: number } | undefined>)[`${kind}Probe`];
  t.same(
    probe(chroma, "liveness")?.httpGet,
    { path: "/api/v2/heartbeat", port: 9000 },
    "liveness: Chroma's heartbeat via the proxy's port (Chroma itself listens on loopback)",
  );
  t.same(
    probe(chroma, "startup")?.httpGet,
    { path: "/api/v2/heartbeat", port: 9000 },
    "startup: the same path, so first-start migrations get the startup allowance",
  );
  t.equal(probe(chroma, "startup")?.failureThreshold, 60);
  t.notOk(probe(chroma, "readiness"), "readiness is the proxy's");
  t.same(probe(proxy, "liveness")?.httpGet, { path: "/proxy-health", port: "http" }, "the proxy's liveness checks nginx itself");
  t.same(probe(proxy, "startup")?.httpGet, { path: "/proxy-health", port: "http" });
  t.same(probe(proxy, "readiness")?.httpGet, { path: "/api/v2/healthcheck", port: "http" });
  const off = build({ chromadb: { apiVersion: "1.5.9" }, probes: { liveness: { enabled: false }, startup: { enabled: false } } });
  t.notOk(probe(off.chroma, "liveness") ?? probe(off.chroma, "startup"), "disabled probes are not rendered on Chroma");
  t.notOk(probe(off.proxy, "liveness"), "…nor on the proxy");
});

t.test("1.x token: the start script holds no single quote inside its awk program (it is one sh word)", async (t) => {
  for (const tokenHeader of ["Authorization", "X-Chroma-Token"] as const) {
    const start = build({ chromadb: { apiVersion: "1.5.9", auth: { token: { tokenHeader } } } }).find("ConfigMap").data["start.sh"] as string;
    t.match(start, /\| awk '\n[^']*\n' > \/tmp\/nginx\/chroma-token\.conf\nexec nginx /, tokenHeader);
  }
});

t.test("1.x basic: the proxy checks the htpasswd file and lets CORS preflights through", async (t) => {
  const { proxy, find } = build({ chromadb: { apiVersion: "1.0.0", auth: { type: "basic" } } });
  t.notOk(proxy!.env);
  t.ok(proxy!.volumeMounts.some((m) => m.name === "auth"));
  const conf = find("ConfigMap").data["nginx.conf"];
  t.match(conf, /auth_basic \$chroma_auth_realm;/);
  t.match(conf, /OPTIONS off;/);
  t.notMatch(conf, /chroma-token\.conf/, "no token check with basic auth");
  t.match(find("ConfigMap").data["start.sh"], /awk '[^']*bcrypt[^']*' \/etc\/chroma-auth\/htpasswd\n/, "basic: the start script checks the htpasswd file");
  const token = build({ chromadb: { apiVersion: "1.0.0", auth: { token: { tokenHeader: "X-Chroma-Token" } } } });
  const start = token.find("ConfigMap").data["start.sh"] as string;
  t.match(start, /map \$http_x_chroma_token \$chroma_token_%d/);
  t.notMatch(start, /Bearer/, "X-Chroma-Token: the bare token");
});

t.test("existing secret: referenced, never generated", async (t) => {
  const { env, rendered } = build({ chromadb: { apiVersion: "0.6.3", auth: { existingSecret: "mine" } } });
  t.same(env.CHROMA_SERVER_AUTHN_CREDENTIALS, { secretKeyRef: { name: "mine", key: "token" } });
  t.same(rendered.generatedSecrets, []);
});

t.test("generated secret: per-instance name, kept on prune/delete", async (t) => {
  const [secret] = build({}).rendered.generatedSecrets;
  t.equal(secret!.metadata.name, "vec-auth");
  t.equal(secret!.metadata.namespace, "ns");
  t.equal(secret!.metadata.annotations?.["chroma-mod.io/keep"], "true");
  t.same(secret!.generate, { token: { random: { length: 32 } } });
});

t.test("persistence: a retained volumeClaimTemplate or an emptyDir", async (t) => {
  const persistent = build({ chromadb: { dataVolumeSize: "5Gi", dataVolumeStorageClass: "ssd" } }).sts;
  t.same(persistent.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
  t.same(persistent.spec.volumeClaimTemplates[0].spec, {
    accessModes: ["ReadWriteOnce"],
    storageClassName: "ssd",
    resources: { requests: { storage: "5Gi" } },
    volumeMode: "Filesystem",
  });
  const ephemeral = build({ chromadb: { isPersistent: false, apiVersion: "0.6.3" } });
  t.notOk(ephemeral.sts.spec.volumeClaimTemplates);
  t.ok(ephemeral.sts.spec.template.spec.volumes.some((v: { name: string; emptyDir?: object }) => v.name === "data" && v.emptyDir));
  t.equal(ephemeral.env.IS_PERSISTENT, "FALSE");
});

t.test("restricted pod security by default", async (t) => {
  const { sts, containers } = build({});
  const pod = sts.spec.template.spec;
  t.same(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
  t.equal(pod.securityContext.runAsNonRoot, true);
  t.equal(pod.enableServiceLinks, false, "service link env vars (CHROMA_PORT=tcp://…) never reach Chroma");
  t.equal(pod.automountServiceAccountToken, false);
  for (const c of containers) {
    const sc = (c as unknown as { securityContext: Record<string, unknown> }).securityContext;
    t.equal(sc.allowPrivilegeEscalation, false, c.name);
    t.same(sc.capabilities, { drop: ["ALL"] }, c.name);
  }
});

t.test("a config change rolls the pod; the same config does not", async (t) => {
  const a = build({ chromadb: { allowReset: false } }).sts.spec.template.metadata.annotations["chroma-mod.io/config-checksum"];
  const b = build({ chromadb: { allowReset: true } }).sts.spec.template.metadata.annotations["chroma-mod.io/config-checksum"];
  t.not(a, b);
  t.equal(build({ chromadb: { allowReset: false } }).sts.spec.template.metadata.annotations["chroma-mod.io/config-checksum"], a);
  t.notOk(
    build({ chromadb: { apiVersion: "0.6.3", logConfigFileLocation: "/x", auth: { enabled: false } } }).sts.spec.template.metadata.annotations,
    "no ConfigMap, no checksum",
  );
});

t.test("OpenTelemetry and Ingress defaults", async (t) => {
  const { find } = build({
    chromadb: { apiVersion: "1.5.9", openTelemetry: { endpoint: "http://otel:4317" } },
    ingress: { enabled: true, hosts: [{ host: "c.example" }] },
  });
  t.match(find("ConfigMap").data["config.yaml"], "open_telemetry:\n  endpoint: http://otel:4317\n  service_name: vec\n");
  t.same(find("Ingress").spec, {
    rules: [{ host: "c.example", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "vec", port: { number: 8000 } } } }] } }],
  });
  const env = build({ chromadb: { apiVersion: "0.5.23", openTelemetry: { endpoint: "http://otel:4317" } } }).env;
  t.equal(env.CHROMA_OTEL_SERVICE_NAME, "vec");
  t.equal(env.CHROMA_OTEL_GRANULARITY, "operation");
});

t.test("the NetworkPolicy's egress follows the endpoints the values configure", async (t) => {
  const egress = (input: Parameters<typeof values>[0]) => {
    const policy = render(values(input), { name: "a", namespace: "ns" }).objects.find((o) => o.kind === "NetworkPolicy")!;
    return (policy.spec as { egress: { ports?: { port?: number }[] }[] }).egress.map((rule) => rule.ports?.map((p) => p.port));
  };
  t.same(egress({}), [[53, 53]], "DNS only by default");
  t.same(egress({ chromadb: { openTelemetry: { endpoint: "http://otel.monitoring" } } }), [[53, 53], [80]], "an http URL without a port: 80");
  t.same(egress({ chromadb: { openTelemetry: { endpoint: "https://otel.example" }, anonymizedTelemetry: true } }), [[53, 53], [443]], "one rule per port");
  t.same(egress({ chromadb: { openTelemetry: { endpoint: "http://otel:4317" }, anonymizedTelemetry: true } }), [
    [53, 53],
    [443, 4317],
  ]);
  t.same(egress({ networkPolicy: { extraEgress: [{ ports: [{ port: 9000 }] }] } }), [[53, 53], [9000]], "an extra rule of ports only: to anywhere");
});
