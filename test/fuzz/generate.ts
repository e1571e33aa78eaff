/**
 * A seeded generator of mutated bundles for the fuzz tests (test/fuzz/fuzz.test.ts runs them through vet and build,
 * test/e2e/dry-run-fuzz.test.ts sends what vet accepted to a real API server). Each case is reproducible from the
 * seed and its index alone. Mutations: valid values (to reach deep into what vet accepts), deletions, type changes,
 * hostile strings, extreme numbers, unknown and prototype keys, unicode, collisions between instances, and values
 * that are not data at all (BigInt, functions, cycles).
 */
import { chromaReleases } from "../../schemas/releases.ts";

type Random = () => number;

/** mulberry32: small, fast, good enough to spread mutations. */
function random(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Random, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const chance = (rng: Random, p: number) => rng() < p;

/** A bundle that sets most values, so that mutations reach every part of the schema. */
export const richBundle = {
  instances: {
    rich: {
      namespace: "fuzz-rich",
      createNamespace: true,
      values: {
        chromadb: {
          apiVersion: "1.5.9",
          allowReset: true,
          isPersistent: true,
          persistDirectory: "/data/chroma",
          corsAllowOrigins: ["https://app.example.com"],
          dataVolumeSize: "2Gi",
          dataVolumeStorageClass: "fast-ssd",
          dataVolumeAccessModes: ["ReadWriteOnce"],
          auth: { enabled: true, type: "token", token: { tokenHeader: "X-Chroma-Token" } },
          maxPayloadSizeBytes: 10485760,
          sqliteMigrationMode: "validate",
          serverHttpPort: 8000,
          openTelemetry: { endpoint: "http://otel.monitoring:4317", serviceName: "chroma" },
        },
        image: { repository: "ghcr.io/chroma-core/chroma", pullPolicy: "IfNotPresent" },
        imagePullSecrets: ["regcred"],
        replicas: 1,
        resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "1Gi" } },
        nodeSelector: { "kubernetes.io/os": "linux" },
        tolerations: [
          { key: "dedicated", operator: "Equal", value: "search", effect: "NoSchedule" },
          { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
        ],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] }] }],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: "zone", operator: "Exists" }] } }],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 50,
                podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { "app.kubernetes.io/name": "chroma" } } },
              },
            ],
          },
        },
        priorityClassName: "high-priority",
        podSecurityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, supplementalGroups: [2000] },
        securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        service: { type: "NodePort", port: 8000, nodePort: 30080, annotations: { "example.com/team": "search" }, labels: { tier: "db" } },
        ingress: {
          enabled: true,
          className: "nginx",
          annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" },
          hosts: [{ host: "chroma.example.com", paths: [{ path: "/", pathType: "Prefix" }] }],
          tls: [{ secretName: "chroma-tls", hosts: ["chroma.example.com"] }],
        },
        serviceAccount: { create: true, name: "chroma-rich", annotations: { "iam.example.com/role": "reader" } },
        probes: { liveness: { periodSeconds: 20 }, readiness: { failureThreshold: 5 } },
        extraEnv: [
          { name: "LOG_LEVEL", value: "info" },
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "EXTRA", valueFrom: { secretKeyRef: { name: "extra", key: "value" } } },
        ],
        labels: { team: "search" },
        annotations: { "example.com/owner": "search" },
        podLabels: { "sidecar.istio.io/inject": "false" },
        podAnnotations: { "prometheus.io/scrape": "false" },
        terminationGracePeriodSeconds: 60,
        proxy: { upstreamPort: 8001, resources: { requests: { cpu: "50m", memory: "64Mi" } } },
      },
    },
    legacy: {
      namespace: "fuzz-legacy",
      values: { chromadb: { apiVersion: "0.4.24", auth: { type: "basic", basic: { username: "reader" } }, logConfig: "version: 1\nroot:\n  level: INFO\n" } },
    },
  },
};

/** Valid values per value path (relative to an instance's values), so that many cases pass vet. */
const validValues: [string[], (rng: Random) => unknown][] = [
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

const hostileStrings = [
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
const extremeNumbers = [
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
const protoKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];
const unicodeKeys = ["ключ", "键", "🔑", "café", "a\u0301", "ﬁ"];

type Tree = Record<string, unknown> | unknown[];
/** Plain objects and arrays: what mutations walk into (not Dates, Maps, promises…). */
const isTree = (value: unknown): value is Tree =>
  value !== null && typeof value === "object" && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype);

/** A deep copy of the plain data in `value`, own `__proto__` keys included (structuredClone drops them). */
function copy(value: unknown): unknown {
  if (!isTree(value)) return value;
  const out: Tree = Array.isArray(value) ? [] : {};
  for (const key of Object.keys(value))
    Object.defineProperty(out, key, { value: copy((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Every path to a value of the tree (objects and arrays included), the root excepted. */
function paths(tree: unknown, path: string[] = [], out: string[][] = []): string[][] {
  if (!isTree(tree)) return out;
  for (const key of Object.keys(tree)) {
    out.push([...path, key]);
    paths((tree as Record<string, unknown>)[key], [...path, key], out);
  }
  return out;
}

function parentOf(tree: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    if (!isTree(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return isTree(node) ? (node as Record<string, unknown>) : undefined;
}

/** Sets a value at a path, creating objects on the way (an own property even for `__proto__`). */
function setAt(tree: unknown, path: readonly string[], value: unknown): void {
  let node = tree as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isTree(next) || !Object.hasOwn(node, key)) Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
    node = node[key] as Record<string, unknown>;
  }
  Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

function randomOfAnyType(rng: Random): unknown {
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
function notData(rng: Random): unknown {
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

export interface FuzzCase {
  readonly index: number;
  readonly bundle: unknown;
  /** What was done, for the failure message. */
  readonly ops: readonly string[];
  /** Holds values that do not survive JSON (BigInt, functions, cycles…): in-process only. */
  readonly jsOnly: boolean;
}

function instanceNames(bundle: unknown): string[] {
  const instances = (bundle as { instances?: unknown }).instances;
  return isTree(instances) ? Object.keys(instances) : [];
}

/** One mutated bundle, from `seed` and `index` alone. */
export function fuzzCase(seed: number, index: number, bases: readonly unknown[]): FuzzCase {
  const rng = random((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const bundle = copy(pick(rng, bases)) as Record<string, unknown>;
  const ops: string[] = [];
  let jsOnly = false;
  let notDataAt: string[] | undefined;
  const count = 1 + Math.floor(rng() * 4);
  for (let i = 0; i < count; i++) {
    const all = paths(bundle);
    const target = all.length > 0 ? pick(rng, all) : ["instances"];
    const names = instanceNames(bundle);
    const r = rng();
    if (r < 0.4 && names.length > 0) {
      const [path, make] = pick(rng, validValues);
      const at = ["instances", pick(rng, names), "values", ...path];
      const value = make(rng);
      setAt(bundle, at, value);
      ops.push(`valid ${at.join(".")}=${JSON.stringify(value)}`);
    } else if (r < 0.5) {
      const parent = parentOf(bundle, target);
      if (parent) delete parent[target[target.length - 1]!];
      ops.push(`delete ${target.join(".")}`);
    } else if (r < 0.6) {
      const value = randomOfAnyType(rng);
      setAt(bundle, target, value);
      ops.push(`type ${target.join(".")}=${JSON.stringify(value)?.slice(0, 60)}`);
    } else if (r < 0.7) {
      const value = pick(rng, hostileStrings);
      setAt(bundle, target, value);
      ops.push(`hostile ${target.join(".")}=${JSON.stringify(value).slice(0, 60)}`);
    } else if (r < 0.75) {
      const value = pick(rng, extremeNumbers);
      setAt(bundle, target, value);
      ops.push(`number ${target.join(".")}=${value}`);
    } else if (r < 0.8) {
      const key = target[target.length - 1]!;
      const typo = key.length > 1 ? key.slice(0, -1) + String.fromCharCode(97 + Math.floor(rng() * 26)) : `${key}x`;
      setAt(bundle, [...target.slice(0, -1), typo], 1);
      ops.push(`unknown key ${[...target.slice(0, -1), typo].join(".")}`);
    } else if (r < 0.85) {
      const key = pick(rng, protoKeys);
      const where = chance(rng, 0.5) && names.length > 0 ? ["instances", key] : [...target.slice(0, -1), key];
      setAt(bundle, where, chance(rng, 0.5) ? { replicas: 3 } : "true");
      ops.push(`proto key ${where.join(".")}`);
    } else if (r < 0.88) {
      const key = pick(rng, unicodeKeys);
      setAt(bundle, [...target.slice(0, -1), key], pick(rng, ["ü", "日本", 1]));
      ops.push(`unicode key ${[...target.slice(0, -1), key].join(".")}`);
    } else if (r < 0.97 && names.length > 0) {
      // Collisions: a copy of an instance in the same namespace, sharing its ServiceAccount or creating its namespace.
      const from = pick(rng, names);
      const copyName = `${from.slice(0, 30)}-copy${i}`;
      const original = (bundle.instances as Record<string, unknown>)[from];
      const instance = (isTree(original) && !Array.isArray(original) ? copy(original) : {}) as Record<string, unknown>;
      const values = (isTree(instance.values) && !Array.isArray(instance.values) ? instance.values : {}) as Record<string, unknown>;
      const mode = pick(rng, ["serviceAccount", "createNamespace", "plain"]);
      if (mode === "serviceAccount") values.serviceAccount = { create: true, name: from };
      if (mode === "createNamespace") instance.createNamespace = true;
      instance.values = values;
      setAt(bundle, ["instances", copyName], instance);
      ops.push(`collide ${copyName} (${mode}) with ${from}`);
    } else {
      notDataAt = target;
    }
  }
  // Last, so that no other mutation walks into a cycle.
  if (notDataAt) {
    setAt(bundle, notDataAt, notData(rng));
    jsOnly = true;
    ops.push(`not data ${notDataAt.join(".")}`);
  }
  return { index, bundle, ops, jsOnly };
}

/** The seed: FUZZ_SEED=random for a new one, a number to replay one; a fixed seed otherwise (CI). */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env, fixed = 20261202): number {
  const given = env.FUZZ_SEED;
  if (given === "random") return Math.floor(Math.random() * 2 ** 31);
  return given && /^\d+$/.test(given) ? Number(given) : fixed;
}
