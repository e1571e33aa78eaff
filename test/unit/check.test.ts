import t from "tap";
import { checkValues } from "../../module/check.ts";
import { values } from "../fixtures/values.ts";

const paths = (input: Parameters<typeof values>[0]) => checkValues(values(input)).map((issue) => issue.path);

t.test("valid defaults have no issues", async (t) => {
  t.same(checkValues(values()), []);
  t.same(paths({ chromadb: { apiVersion: "0.4.6", auth: { enabled: false } } }), [], "auth off on a version without auth is fine");
});

t.test("auth a version cannot enforce is refused, with the fix", async (t) => {
  const [basic] = checkValues(values({ chromadb: { apiVersion: "0.4.6", auth: { type: "basic" } } }));
  t.equal(basic?.path, "chromadb.auth.type");
  t.match(basic?.message, /basic auth needs Chroma >= 0\.4\.7, but chromadb\.apiVersion is 0\.4\.6/);
  t.match(basic?.message, /auth\.enabled: false/);
  const [token] = checkValues(values({ chromadb: { apiVersion: "0.4.7", auth: { type: "token" } } }));
  t.match(token?.message, /token auth needs Chroma >= 0\.4\.8/);
  t.match(token?.message, /use chromadb\.auth\.type: "basic"/, "0.4.7 has basic: suggest it");
  const [token046] = checkValues(values({ chromadb: { apiVersion: "0.4.6" } }));
  t.notMatch(token046?.message, /"basic"/, "0.4.6 has no basic either");
});

t.test("replicas with persistence", async (t) => {
  t.same(paths({ replicas: 2 }), ["replicas"]);
  t.same(paths({ replicas: 2, chromadb: { isPersistent: false } }), [], "without persistence each replica is independent");
  t.same(paths({ replicas: 0 }), []);
});

t.test("CORS wildcard crashes 1.0.0-1.0.10", async (t) => {
  t.same(paths({ chromadb: { apiVersion: "1.0.10", corsAllowOrigins: ["*"] } }), ["chromadb.corsAllowOrigins"]);
  t.same(paths({ chromadb: { apiVersion: "1.0.11", corsAllowOrigins: ["*"] } }), []);
});

t.test("client-only API impl", async (t) => {
  t.same(paths({ chromadb: { apiVersion: "0.4.24", apiImpl: "chromadb.api.fastapi.FastAPI" } }), ["chromadb.apiImpl"]);
});

t.test("auth env in extraEnv is refused", async (t) => {
  const issues = paths({
    extraEnv: [
      { name: "FOO", value: "1" },
      { name: "CHROMA_SERVER_AUTH_PROVIDER", value: "x" },
      { name: "CHROMA_SERVER_AUTHN_CREDENTIALS", value: "x" },
    ],
  });
  t.same(issues, ["extraEnv.1.name", "extraEnv.2.name"]);
});

t.test("settings the chosen version ignores", async (t) => {
  t.same(paths({ chromadb: { apiVersion: "0.6.3", maxPayloadSizeBytes: 10, sqliteMigrationMode: "validate" } }), [
    "chromadb.maxPayloadSizeBytes",
    "chromadb.sqliteMigrationMode",
  ]);
  t.same(paths({ chromadb: { apiVersion: "1.5.9", logConfig: "x", logConfigFileLocation: "/x" } }), ["chromadb.logConfigFileLocation", "chromadb.logConfig"]);
  t.same(paths({ chromadb: { apiVersion: "0.4.14", auth: { enabled: false }, openTelemetry: { endpoint: "http://otel:4317" } } }), ["chromadb.openTelemetry"]);
  const [issue] = checkValues(values({ chromadb: { apiVersion: "0.6.3", maxPayloadSizeBytes: 10 } }));
  t.match(issue?.message, /or set chromadb\.apiVersion to 1\.x/);
});

t.test("proxy port clash and ingress without hosts", async (t) => {
  t.same(paths({ proxy: { upstreamPort: 8000 } }), ["proxy.upstreamPort"]);
  t.same(paths({ proxy: { upstreamPort: 8000 }, chromadb: { auth: { enabled: false } } }), [], "no proxy without auth");
  t.same(paths({ ingress: { enabled: true } }), ["ingress.hosts"]);
});

t.test("CORS with auth on 0.4.7-0.4.24, product telemetry on 1.x", async (t) => {
  t.same(paths({ chromadb: { apiVersion: "0.4.24", corsAllowOrigins: ["https://a.example"] } }), ["chromadb.corsAllowOrigins"]);
  t.same(paths({ chromadb: { apiVersion: "0.4.24", corsAllowOrigins: ["https://a.example"], auth: { enabled: false } } }), []);
  t.same(paths({ chromadb: { apiVersion: "0.5.0", corsAllowOrigins: ["https://a.example"] } }), [], "0.5 answers preflights before auth");
  t.same(paths({ chromadb: { apiVersion: "1.5.9", anonymizedTelemetry: true } }), ["chromadb.anonymizedTelemetry"]);
  t.same(paths({ chromadb: { apiVersion: "0.6.3", anonymizedTelemetry: true } }), []);
});

t.test("extraEnv: names the module sets, in any letter case, and duplicates", async (t) => {
  const env = (...names: string[]) => names.map((name) => ({ name, value: "x" }));
  t.same(
    paths({
      chromadb: { apiVersion: "0.6.3" },
      extraEnv: env("chroma_server_authn_provider", "allow_reset", "Is_Persistent", "PERSIST_DIRECTORY", "home", "MY_VAR", "my_var"),
    }),
    ["extraEnv.0.name", "extraEnv.1.name", "extraEnv.2.name", "extraEnv.3.name", "extraEnv.4.name", "extraEnv.6.name"],
  );
  const [auth, set, twice] = checkValues(values({ extraEnv: env("chroma_server_authn_credentials", "CHROMA_LISTEN_ADDRESS", "A", "a") }));
  t.match(auth?.message, /configures auth/);
  t.match(set?.message, /CHROMA_LISTEN_ADDRESS is a variable the module sets/, "1.x: CHROMA_* overrides the config file's keys");
  t.match(twice?.message, /a is set twice \(also extraEnv\.2\.name/);
  t.same(
    paths({ extraEnv: env("CHROMA_OPEN_TELEMETRY__ENDPOINT", "CHROMA_SQLITEDB__MIGRATION_MODE", "ORT_DISABLE_TELEMETRY", "CHROMA_OTEL_COLLECTION_ENDPOINT") })
      .length,
    4,
    "derived from every version's rendering",
  );
});

t.test("logConfig must be a dictConfig YAML", async (t) => {
  const at = (logConfig: string) => checkValues(values({ chromadb: { apiVersion: "0.6.3", logConfig } }));
  t.match(at("a: [")[0]?.message, /is not valid YAML/);
  t.match(at("- 1")[0]?.message, /is not a YAML mapping/);
  t.match(at("x")[0]?.message, /is not a YAML mapping/);
  t.match(at("root: {}")[0]?.message, /has no `version: 1`/);
  t.same(at("version: 1\nroot: {level: INFO}"), []);
});

t.test("serverHost with auth has no effect", async (t) => {
  t.same(paths({ chromadb: { serverHost: "0.0.0.0" } }), ["chromadb.serverHost"]);
  t.match(checkValues(values({ chromadb: { serverHost: "10.0.0.1" } }))[0]?.message, /Chroma listens on 127\.0\.0\.1 behind the proxy sidecar/);
  t.same(paths({ chromadb: { serverHost: "127.0.0.1" } }), [], "loopback is what it gets anyway");
  t.same(paths({ chromadb: { serverHost: "0.0.0.0", auth: { enabled: false } } }), []);
  t.same(paths({ chromadb: { serverHost: "0.0.0.0", apiVersion: "0.6.3" } }), ["chromadb.serverHost"], "0.x too: the proxy is in front of every version");
  t.same(paths({ chromadb: { serverHost: "0.0.0.0", apiVersion: "0.6.3", auth: { enabled: false } } }), []);
});

t.test("mount paths, the default ServiceAccount", async (t) => {
  for (const dir of ["/tmp", "/tmp/", "/etc/chroma", "/"]) t.same(paths({ chromadb: { persistDirectory: dir } }), ["chromadb.persistDirectory"], dir);
  t.match(checkValues(values({ chromadb: { persistDirectory: "/" } }))[0]?.message, /the container's root/);
  t.same(paths({ chromadb: { persistDirectory: "/var/lib/chroma" } }), []);
  t.same(paths({ serviceAccount: { name: "default" } }), ["serviceAccount.name"]);
  t.same(paths({ serviceAccount: { name: "default", create: false } }), []);
});

t.test("Kubernetes' own cross-field rules", async (t) => {
  t.same(
    paths({
      tolerations: [
        { key: "a", operator: "Exists", value: "x" },
        { operator: "Equal", value: "x" },
        { key: "b", tolerationSeconds: 5, effect: "NoSchedule" },
        { key: "c", tolerationSeconds: 5, effect: "NoExecute" },
        { operator: "Exists" },
      ],
    }),
    ["tolerations.0.value", "tolerations.1.operator", "tolerations.2.tolerationSeconds"],
  );
  const term = (operator: string, values?: string[]) => ({ key: "k", operator, ...(values ? { values } : {}) });
  t.same(
    paths({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  term("In"),
                  term("In", ["a"]),
                  term("Exists", ["a"]),
                  term("DoesNotExist"),
                  term("Gt", ["x"]),
                  term("Lt", ["5"]),
                  term("Gt", ["1", "2"]),
                ],
              },
              {
                matchFields: [
                  { key: "metadata.name", operator: "In", values: ["a", "b"] },
                  { key: "metadata.name", operator: "NotIn", values: ["a"] },
                ],
              },
            ],
          },
        },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, podAffinityTerm: { topologyKey: "zone", labelSelector: { matchExpressions: [term("NotIn", [])] } } },
          ],
        },
      },
    }),
    [
      "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.0.values",
      "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.2.values",
      "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.4.values",
      "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.6.values",
      "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.1.matchFields.0.values",
      "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.podAffinityTerm.labelSelector.matchExpressions.0.values",
    ],
  );
  t.same(
    paths({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: undefined } }] } } }),
    [],
    "an optional list given as undefined",
  );
  t.same(
    paths({
      podSecurityContext: { seccompProfile: { type: "Localhost" } },
      securityContext: { seccompProfile: { type: "RuntimeDefault", localhostProfile: "x.json" } },
    }),
    ["podSecurityContext.seccompProfile.localhostProfile", "securityContext.seccompProfile.localhostProfile"],
  );
  t.same(paths({ podSecurityContext: { seccompProfile: { type: "Localhost", localhostProfile: "p.json" } } }), []);
  t.same(
    paths({
      resources: { requests: { cpu: "2", memory: 0.0000001 }, limits: { cpu: "1500m", memory: "1Gi" } },
      proxy: { resources: { requests: { memory: "2e9" }, limits: { memory: "1Gi" } } },
    }),
    ["resources.requests.memory", "resources.requests.cpu", "proxy.resources.requests.memory"],
  );
  t.same(paths({ resources: { requests: { cpu: 0.5, memory: "1e9" }, limits: { cpu: "1", memory: "1Gi" } } }), [], "1e9 bytes < 1Gi");
  t.same(paths({ resources: { requests: { memory: "2Gi" } }, proxy: { resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } } }), [
    "proxy.resources.requests.cpu",
  ]);
});

t.test("access modes, privileged ports", async (t) => {
  t.same(paths({ chromadb: { dataVolumeAccessModes: [] } }), ["chromadb.dataVolumeAccessModes"]);
  t.same(paths({ chromadb: { dataVolumeAccessModes: ["ReadWriteOncePod", "ReadWriteOnce"] } }), ["chromadb.dataVolumeAccessModes"]);
  t.match(checkValues(values({ chromadb: { dataVolumeAccessModes: [] } }))[0]?.message, /a volume needs an access mode/);
  t.same(paths({ chromadb: { dataVolumeAccessModes: ["ReadWriteOncePod"] } }), []);
  t.same(paths({ chromadb: { dataVolumeAccessModes: [], isPersistent: false } }), [], "no volume, no claim");
  t.same(paths({ chromadb: { serverHttpPort: 80 }, proxy: { upstreamPort: 1023 } }), ["chromadb.serverHttpPort", "proxy.upstreamPort"]);
  t.same(
    paths({ chromadb: { serverHttpPort: 80, apiVersion: "0.6.3" }, proxy: { upstreamPort: 1023 } }),
    ["chromadb.serverHttpPort", "proxy.upstreamPort"],
    "the proxy on 0.x too",
  );
  t.same(
    paths({ chromadb: { serverHttpPort: 80, apiVersion: "0.6.3", auth: { enabled: false } }, proxy: { upstreamPort: 1023 } }),
    ["chromadb.serverHttpPort"],
    "no proxy without auth",
  );
  t.same(paths({ chromadb: { serverHttpPort: 80 }, securityContext: { capabilities: { add: ["NET_BIND_SERVICE"] } } }), []);
});

t.test("networkPolicy: settings that would do nothing or shut every client out, peers Kubernetes refuses", async (t) => {
  t.same(paths({ networkPolicy: { allowExternal: false } }), ["networkPolicy.from"], "no client listed");
  t.match(checkValues(values({ networkPolicy: { allowExternal: false } }))[0]!.message, /no pod could reach Chroma\. Fix: list/);
  t.same(paths({ networkPolicy: { from: [{ podSelector: {} }] } }), ["networkPolicy.from"], "clients listed while any client may connect");
  t.same(
    paths({ networkPolicy: { allowExternalEgress: true, extraEgress: [{ ports: [{ port: 9000 }] }] } }),
    ["networkPolicy.extraEgress"],
    "egress rules while egress is open",
  );
  t.same(paths({ networkPolicy: { enabled: false, allowExternal: false } }), [], "nothing checked when off");
  t.same(
    paths({
      networkPolicy: {
        allowExternal: false,
        from: [{}, { podSelector: {}, ipBlock: { cidr: "10.0.0.0/8" } }, { namespaceSelector: { matchExpressions: [{ key: "k", operator: "In" }] } }],
        extraEgress: [{ to: [{}, { ipBlock: { cidr: "10.0.0.0/8" } }] }],
      },
    }),
    ["networkPolicy.from.2.namespaceSelector.matchExpressions.0.values", "networkPolicy.from.0", "networkPolicy.from.1", "networkPolicy.extraEgress.0.to.0"],
  );
  const [empty, both] = checkValues(values({ networkPolicy: { allowExternal: false, from: [{}, { podSelector: {}, ipBlock: { cidr: "10.0.0.0/8" } }] } }));
  t.match(empty!.message, /is empty; Kubernetes refuses a peer without a selector or an ipBlock/);
  t.match(both!.message, /has both selectors and an ipBlock.*split it into two peers/);
});

t.test("tls: one source of the certificate, names only where chroma-mod asks for one", async (t) => {
  t.same(paths({ tls: { generate: true, secretName: "mine" } }), ["tls"]);
  t.match(
    checkValues(values({ tls: { generate: true, certManager: { issuerRef: { name: "ca" } } } }))[0]!.message,
    /sets generate and certManager: a certificate comes from one place/,
  );
  t.same(paths({ tls: { generate: true, dnsNames: ["a.example"] } }), []);
  t.same(paths({ tls: { certManager: { issuerRef: { name: "ca" } }, dnsNames: ["a.example"] } }), []);
  t.same(paths({ tls: { secretName: "mine", dnsNames: ["a.example"] } }), ["tls.dnsNames"]);
  t.match(
    checkValues(values({ tls: { secretName: "mine", dnsNames: ["a.example"] } }))[0]!.message,
    /not to your own Secret's.*put the names in your certificate/,
  );
  t.match(checkValues(values({ tls: { dnsNames: ["a.example"] } }))[0]!.message, /and TLS is off.*set tls.generate: true or tls.certManager/);
  t.same(
    paths({ chromadb: { auth: { enabled: false }, serverHost: "0.0.0.0" }, tls: { generate: true } }),
    ["chromadb.serverHost"],
    "TLS alone puts Chroma on loopback too",
  );
  t.match(
    checkValues(values({ chromadb: { auth: { enabled: false }, serverHost: "0.0.0.0" }, tls: { generate: true } }))[0]!.message,
    /with TLS: Chroma listens on 127\.0\.0\.1/,
  );
  t.same(
    paths({ chromadb: { auth: { enabled: false } }, tls: { generate: true }, proxy: { upstreamPort: 8000 } }),
    ["proxy.upstreamPort"],
    "and the proxy's ports clash",
  );
});
