/** What the fuzz mutations write (test/fuzz/generate.ts): valid values per path, hostile strings, extreme numbers, odd keys, values of any type and values that are not data. */
import { chromaReleases } from "../../schemas/releases.ts";
import { chance, pick, type Random } from "./random.ts";

/** Valid values per value path (relative to an instance's values), so that many cases pass vet. */
export const validValues: [string[], (rng: Random) => unknown][] = [
  [["chromadb", "apiVersion"], (rng) => pick(rng, chromaReleases)],
  [["chromadb", "auth", "enabled"], (rng) => chance(rng, 0.5)],
  [["chromadb", "auth", "type"], (rng) => pick(rng, ["token", "basic"])],
  [["chromadb", "auth", "token", "tokenHeader"], (rng) => pick(rng, ["Authorization", "X-Chroma-Token", "AUTHORIZATION"])],
  [["chromadb", "auth", "existingSecret"], (rng) => pick(rng, ["my-secret", "chroma.auth"])],
  [["chromadb", "isPersistent"], (rng) => chance(rng, 0.5)],
  [["chromadb", "allowReset"], (rng) => chance(rng, 0.5)],
  [["chromadb", "corsAllowOrigins"], (rng) => pick(rng, [[], ["https://a.example"], ["http://localhost:3000", "https://b.example"]])],
  [["chromadb", "dataVolumeSize"], (rng) => pick(rng, ["1Gi", "500Mi", "10G", "0.5Gi", "1Ti"])],
  [["chromadb", "serverHttpPort"], (rng) => 1 + Math.floor(rng() * 65535)],
  [["chromadb", "persistDirectory"], (rng) => pick(rng, ["/data", "/chroma/chroma", "/var/lib/chroma"])],
  [["chromadb", "anonymizedTelemetry"], (rng) => chance(rng, 0.5)],
  [["chromadb", "openTelemetry"], () => ({ endpoint: "http://otel:4317" })],
  [["replicas"], (rng) => pick(rng, [0, 1, 2])],
  [["resources"], (rng) => pick(rng, [{}, { requests: { cpu: 0.5, memory: "512Mi" } }, { limits: { cpu: 2, memory: "4G" } }])],
  [["nodeSelector"], (rng) => pick(rng, [{}, { "topology.kubernetes.io/zone": "eu-1a" }])],
  [["tolerations"], (rng) => pick(rng, [[], [{ operator: "Exists" }], [{ key: "gpu", operator: "Equal", value: "", effect: "PreferNoSchedule" }]])],
  [
    ["service"],
    (rng) => pick(rng, [{ type: "ClusterIP" }, { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] }, { type: "NodePort", nodePort: 32000 }]),
  ],
  [["ingress"], (rng) => pick(rng, [{ enabled: false }, { enabled: true, hosts: [{ host: "*.example.org", paths: [{ path: "/api", pathType: "Exact" }] }] }])],
  [["serviceAccount"], (rng) => pick(rng, [{ create: false }, { create: true, name: "shared-sa" }, { create: true }])],
  [
    ["extraEnv"],
    (rng) => pick(rng, [[], [{ name: "A_B", value: "1" }], [{ name: "X", valueFrom: { configMapKeyRef: { name: "cm", key: "k.ey", optional: true } } }]]),
  ],
  [["labels"], (rng) => pick(rng, [{}, { "example.com/a": "b-c_d.e" }, { a: "" }])],
  [
    ["image"],
    (rng) => pick(rng, [{ tag: "1.0.0" }, { digest: `sha256:${"ab".repeat(32)}` }, { repository: "registry.example:5000/team/chroma", tag: "v1_2.3-x" }]),
  ],
  [["podSecurityContext"], (rng) => pick(rng, [{ runAsUser: null, runAsGroup: null, fsGroup: null }, { runAsUser: 2147483647 }])],
  [["probes"], (rng) => pick(rng, [{ startup: { enabled: false } }, { liveness: { initialDelaySeconds: 5, timeoutSeconds: 2 } }])],
  [["terminationGracePeriodSeconds"], (rng) => pick(rng, [0, 30, 3600])],
  [["proxy", "upstreamPort"], (rng) => pick(rng, [8001, 9000, 65535])],
  [
    ["networkPolicy"],
    (rng) =>
      pick(rng, [
        { enabled: false },
        { allowExternal: false, from: [{ namespaceSelector: {} }, { ipBlock: { cidr: "192.168.0.0/16" } }] },
        { allowExternalEgress: true },
        { extraEgress: [{ to: [{ podSelector: { matchLabels: { app: "minio" } } }], ports: [{ port: 9000 }] }, {}] },
      ]),
  ],
  // Values that pass vet by a hair: the longest names and labels, extreme but valid numbers and quantities.
  [["labels"], () => ({ [`${"a".repeat(63)}.${"b".repeat(63)}.example.com/${"c".repeat(63)}`]: "z".repeat(63), "x_y.z-1": "A-b_c.9" })],
  [["serviceAccount", "name"], (rng) => pick(rng, ["s".repeat(253), "a.b-c.d"])],
  [
    ["resources"],
    (rng) =>
      pick(rng, [
        { requests: { cpu: "1.", memory: ".5Gi" } },
        { requests: { cpu: "100n", memory: "1e3" }, limits: { cpu: "0.001", memory: "999999999999999999" } },
        { limits: { cpu: 1000000, memory: "999999999999999Ei" } },
      ]),
  ],
  [
    ["tolerations"],
    () => [
      { key: "k", operator: "Exists", effect: "NoExecute", tolerationSeconds: -5 },
      { key: "example.com/x", value: "v".repeat(63) },
    ],
  ],
  [["chromadb", "dataVolumeSize"], (rng) => pick(rng, ["0.000001Gi", "999999999999999Ei", ".5Gi", "1"])],
  [
    ["ingress"],
    () => ({
      enabled: true,
      hosts: [
        {
          host: `${"h".repeat(63)}.${"i".repeat(63)}.${"j".repeat(63)}.${"k".repeat(61)}`,
          paths: [{ path: "/a-b_c.d~e", pathType: "ImplementationSpecific" }],
        },
      ],
      tls: [{ secretName: "t".repeat(253), hosts: ["*.a"] }],
    }),
  ],
  [
    ["extraEnv"],
    () => [
      { name: "a.b-c_d", value: "line\nbreak ü" },
      { name: "_", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['example.com/x']" } } },
    ],
  ],
  [
    ["podSecurityContext"],
    () => ({ supplementalGroups: [0, 2147483647], runAsGroup: 0, seccompProfile: { type: "Localhost", localhostProfile: "profiles/chroma.json" } }),
  ],
  [["probes"], () => ({ startup: { initialDelaySeconds: 2147483647, periodSeconds: 2147483647, timeoutSeconds: 2147483647, failureThreshold: 2147483647 } })],
  [["terminationGracePeriodSeconds"], () => 2147483647],
  [
    ["networkPolicy"],
    () => ({
      allowExternal: false,
      from: [
        {
          namespaceSelector: { matchExpressions: [{ key: "a.example/b", operator: "NotIn", values: ["", "x"] }] },
          podSelector: { matchLabels: { "x_y.z-1": "" } },
        },
        { ipBlock: { cidr: "::/0" } },
        { ipBlock: { cidr: "0.0.0.0/0" } },
      ],
      extraEgress: [{ to: [{ ipBlock: { cidr: "fd00::/8" } }], ports: [{ port: 65535, protocol: "SCTP" }, { protocol: "UDP" }] }],
    }),
  ],
  [
    ["service"],
    (rng) =>
      pick(rng, [
        { type: "NodePort", nodePort: 30000, port: 65535 },
        { type: "LoadBalancer", nodePort: 32767, loadBalancerSourceRanges: ["::/0", "0.0.0.0/0"] },
      ]),
  ],
  [["chromadb", "maxPayloadSizeBytes"], () => Number.MAX_SAFE_INTEGER],
  [["imagePullSecrets"], () => ["p".repeat(253), "a.b"]],
  [["podAnnotations"], () => ({ "example.com/big": "x".repeat(65536) })],
  [
    ["affinity"],
    () => ({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "n", operator: "Gt", values: ["5"] }], matchFields: [{ key: "metadata.name", operator: "In", values: ["node-1"] }] },
          ],
        },
      },
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "zone", namespaces: ["a"], namespaceSelector: {} }] },
    }),
  ],
  [["chromadb", "corsAllowOrigins"], () => ["*", "chrome-extension://abcdef"]],
  [["chromadb", "openTelemetry"], () => ({ endpoint: "https://otel.example:4317/v1", serviceName: "x y ü\n", granularity: "all" })],
  [["priorityClassName"], () => "system-node-critical"],
  [["image"], () => ({ repository: "localhost:5000/a/b__c/d-e", tag: "_x", pullPolicy: "Never" })],
];

export const hostileStrings = [
  "",
  " ",
  "a b",
  "x\ny",
  "\t",
  "../../x",
  "..",
  "*",
  "${HOME}",
  "$(id)",
  "`id`",
  "'\"",
  "\\",
  "\u0000",
  "é",
  "ü日本語",
  "🦄",
  "\u200b",
  "\u202e",
  "-5",
  "abc",
  "0",
  "1e+300",
  "-1Gi",
  "sha256:abc",
  "kube-system",
  "default",
  "A",
  "a".repeat(64),
  "x".repeat(300),
  "y".repeat(10000),
  "http://",
  "https://x y",
  "/",
  "/tmp",
  "//x",
  "a:b",
  "null",
  "true",
  "1.1",
  "1.0.1",
  "0.4.25",
  "__proto__",
  "constructor",
  "CHROMA_SERVER_AUTHN_PROVIDER",
];
export const extremeNumbers = [
  1e300,
  1e30,
  1e21,
  -1,
  0,
  0.5,
  -0.5,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53,
  2 ** 53 + 2,
  1e-7,
  65535,
  65536,
  30000,
  32768,
  100,
  101,
  -2147483648,
];
export const protoKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];
export const unicodeKeys = ["ключ", "键", "🔑", "café", "a\u0301", "ﬁ"];

export function randomOfAnyType(rng: Random): unknown {
  return pick(rng, [
    () => pick(rng, hostileStrings),
    () => pick(rng, extremeNumbers),
    () => chance(rng, 0.5),
    () => null,
    () => [],
    () => ({}),
    () => [pick(rng, hostileStrings)],
    () => ({ x: 1 }),
  ])();
}

/** Values a bundle may hold by mistake that are not data: only for in-process runs (they do not survive JSON). */
export function notData(rng: Random): unknown {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  return pick(rng, [
    10n,
    () => 1,
    Symbol("s"),
    cyclic,
    new Date(0),
    new Map(),
    NaN,
    Infinity,
    -Infinity,
    undefined,
    Object.create(null) as object,
    Promise.resolve(1),
  ]);
}
