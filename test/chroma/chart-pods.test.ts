/**
 * The community Chroma Helm chart's pods (shared/fixtures/chromadb-chart-*) run on the local node's pod runner as
 * the chart writes them: no command (the official image's ENTRYPOINT/CMD), tcpSocket probes, envFrom a ConfigMap,
 * a Secret's key, fieldRef, ConfigMap files by subPath with defaultMode, empty securityContexts, a
 * serviceAccountName, a volumeClaimTemplate; plus the projected volume the API server's ServiceAccount admission
 * adds to such a pod (its token, as the node's agent requests one). Each pod runs in a network namespace of its own
 * (sandbox.ts), so the chart's port 8000 is its own and the probes go through the pod's connector, as on the node.
 *
 * The StatefulSets and ConfigMaps below are the objects `helm template chroma <chart> -n chroma` renders with the
 * chart's defaults (read from its templates and values.yaml, no helm binary here yet; some lines in flow style, and
 * labels and annotations left out): 0.2.2 (Chroma 1.5.3, an image-only release that runs from its PyPI stand-in)
 * and 0.1.23 (Chroma 0.6.3, token auth; its Secret's random token is a fixed one here).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { parseAllDocuments } from "yaml";
import { chromaProfile } from "../../localcluster/node/images.ts";
import { PodRunner, probeOnce, type PodSpec } from "../../localcluster/node/runner/pod-runner.ts";
import { Sandbox } from "../../localcluster/node/sandbox.ts";
import { ensureVenv, pypiStandIn } from "../../localcluster/node/venv.ts";
import { kubeApiAccessVolume } from "../fixtures/kube-api-access.ts";
import { requireHostPrograms, requireVenv } from "./harness.ts";

const probes = `
          readinessProbe: { tcpSocket: { port: 8000 }, failureThreshold: 20, timeoutSeconds: 10, periodSeconds: 5 }
          livenessProbe: { tcpSocket: { port: 8000 }, failureThreshold: 40, timeoutSeconds: 10, periodSeconds: 5 }
          startupProbe: { tcpSocket: { port: 8000 }, failureThreshold: 1000, periodSeconds: 5, initialDelaySeconds: 10 }`;

/** How each StatefulSet starts; the lines after `containers:` differ per chart version. */
const statefulSet = (serviceAccount: string, container: string, volumes: string) => `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: chroma-chromadb
  namespace: "chroma"
spec:
  serviceName: "chroma-chromadb"
  podManagementPolicy: "Parallel"
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: chromadb
      app.kubernetes.io/instance: chroma
  template:
    spec:${serviceAccount}
      securityContext:
        {}
      terminationGracePeriodSeconds: 5
      tolerations:
        []
      affinity:
        {}
      containers:
        - name: "chromadb"${container}${probes}
      volumes:${volumes}
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ "ReadWriteOnce" ], resources: { requests: { storage: 1Gi } } }
`;

const chart022 = `${statefulSet(
  `
      serviceAccountName: "chroma-chromadb"`,
  `
          image: "ghcr.io/chroma-core/chroma:1.5.3"
          imagePullPolicy: "IfNotPresent"
          env:
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
          ports:
            - containerPort: 8000
              name: http
          securityContext:
              {}
          volumeMounts:
            - mountPath: "/data"
              name: data
            - mountPath: /config.yaml
              name: v1-config
              subPath: config.yaml`,
  `
        - name: v1-config
          configMap:
            name: v1-config
            defaultMode: 0644`,
)}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: v1-config
  namespace: chroma
data:
  config.yaml: |-
    allow_reset: false
    listen_address: 0.0.0.0
    max_payload_size_bytes: 41943040
    persist_path: /data
    port: 8000
`;

const chart0123 = `${statefulSet(
  "",
  `
          image: "ghcr.io/chroma-core/chroma:0.6.3"
          imagePullPolicy: "IfNotPresent"
          envFrom:
            - configMapRef:
                name: chroma-chromadb-token-auth-config
          env:
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
            - { name: IS_PERSISTENT, value: "true" }
            - { name: PERSIST_DIRECTORY, value: "/index_data" }
            - { name: ALLOW_RESET, value: "false" }
            - { name: ANONYMIZED_TELEMETRY, value: "false" }
            - { name: CHROMA_SERVER_CORS_ALLOW_ORIGINS, value: '["*","*"]' }
            - { name: CHROMA_SERVER_HTTP_PORT, value: "8000" }
            - { name: CHROMA_LOG_CONFIG, value: "/chroma/log_config.yaml" }
            - { name: CHROMA_SERVER_AUTHN_CREDENTIALS, valueFrom: { secretKeyRef: { name: chromadb-auth, key: token } } }
          ports:
            - containerPort: 8000
              name: http
          securityContext:
              {}
          volumeMounts:
            - mountPath: /chroma/log_config.yaml
              name: log-config
              subPath: log_config.yaml
            - mountPath: "/index_data"
              name: data`,
  `
        - name: log-config
          configMap:
            name: "chroma-chromadb-log-config"
            defaultMode: 0644`,
)}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: chroma-chromadb-log-config
  namespace: chroma
data:
  log_config.yaml: |-
      version: 1
      disable_existing_loggers: False
      formatters:
        default:
          "()": uvicorn.logging.DefaultFormatter
          format: '%(levelprefix)s [%(asctime)s] %(message)s'
          use_colors: null
          datefmt: '%d-%m-%Y %H:%M:%S'
        access:
          "()": uvicorn.logging.AccessFormatter
          format: '%(levelprefix)s [%(asctime)s] %(client_addr)s - "%(request_line)s" %(status_code)s'
          datefmt: '%d-%m-%Y %H:%M:%S'
      handlers:
        default:
          formatter: default
          class: logging.StreamHandler
          stream: ext://sys.stderr
        access:
          formatter: access
          class: logging.StreamHandler
          stream: ext://sys.stdout
        console:
          class: logging.StreamHandler
          stream: ext://sys.stdout
          formatter: default
      loggers:
        root:
          level: INFO
          handlers: [console]
        chromadb:
          level: DEBUG
        uvicorn:
          level: INFO
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: chroma-chromadb-token-auth-config
  namespace: chroma
data:
  CHROMA_AUTH_TOKEN_TRANSPORT_HEADER: "Authorization"
  CHROMA_SERVER_AUTHN_PROVIDER: "chromadb.auth.token_authn.TokenAuthenticationServerProvider"
`;

/** The chart's Secret `chromadb-auth` (randAlphaNum 32), as the runner reads it (decoded). */
const token = "k7Qm2Rx9Lp4Wz8Nc3Vb6Ty1Hs5Jd0FgA";
const serviceAccountMount = "/var/run/secrets/kubernetes.io/serviceaccount";

interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec: { template: { spec: PodSpec }; volumeClaimTemplates: { metadata: { name: string } }[] };
}

/** The pod as the API server stores it: the template, plus the ServiceAccount admission's projected volume. */
function admitted(spec: PodSpec): PodSpec {
  const volume = "kube-api-access-4xk2p";
  spec.volumes = [...(spec.volumes ?? []), kubeApiAccessVolume(volume)];
  for (const c of spec.containers) c.volumeMounts = [...(c.volumeMounts ?? []), { name: volume, mountPath: serviceAccountMount, readOnly: true }];
  return spec;
}

/** An HTTP GET of the pod's `port` through its network's connector. */
function get(sandbox: Sandbox, port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        headers,
        createConnection: (_o, cb) =>
          void sandbox.connect(port).then(
            (s) => cb(null, s),
            (e: Error) => cb(e, undefined as never),
          ),
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`GET ${path}: no answer in 15 s`)));
    req.on("error", reject);
    req.end();
  });
}

/** Runs the chart's pod at `version` in a network of its own; `check` sees it Ready (its tcpSocket probes passed). */
async function runChartPod(
  t: Test,
  version: string,
  manifests: string,
  check: (pod: { sandbox: Sandbox; argv: readonly string[]; log: () => string; claimDir: string; mounts: ReadonlyMap<string, string> }) => Promise<void>,
): Promise<void> {
  requireHostPrograms();
  // An image-only release's stand-in (1.5.3 → 1.5.4) is not one of setup's virtualenvs: made on first use, as the node does.
  const venv = await ensureVenv(pypiStandIn(version));
  const objects = parseAllDocuments(manifests, { version: "1.1" }).map((d) => d.toJS() as Manifest);
  const sts = objects.find((o) => o.kind === "StatefulSet")!;
  const baseDir = mkdtempSync(join(tmpdir(), "chroma-mod-chart-pod-"));
  t.teardown(() => rmSync(baseDir, { recursive: true, force: true }));
  const sandbox = await Sandbox.create(baseDir);
  t.teardown(() => sandbox.stop());
  const claimDir = (claim: string) => {
    const dir = join(baseDir, "pvc", claim);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const maps = new Map(objects.filter((o) => o.kind === "ConfigMap").map((o) => [o.metadata.name, o.data ?? {}]));
  maps.set("kube-root-ca.crt", { "ca.crt": "-----BEGIN CERTIFICATE-----\n(the cluster's CA)\n-----END CERTIFICATE-----\n" });
  const runner = new PodRunner(
    {
      spec: admitted(structuredClone(sts.spec.template.spec)),
      podName: "chroma-chromadb-0",
      namespace: "chroma",
      maps,
      secrets: new Map([["chromadb-auth", { token }]]),
      tokens: new Map([["", "eyJhbGciOiJSUzI1NiJ9.e30.sig"]]),
      claimDir,
      claims: sts.spec.volumeClaimTemplates.map((c) => c.metadata.name),
    },
    { imageProfile: () => chromaProfile(venv, version), baseDir, network: sandbox, readyTimeoutMs: 120_000 },
  );
  const pod = await runner.start();
  try {
    t.same(
      pod.probes.map((p) => `${p.kind} ${p.action} ${p.port}`),
      ["startup tcpSocket 8000", "liveness tcpSocket 8000", "readiness tcpSocket 8000"],
      "the chart's tcpSocket probes passed (the pod is Ready)",
    );
    const c = pod.containers.get("chromadb")!;
    t.ok(await probeOnce({ action: "tcpSocket", port: 8000, path: "" }, 2000, sandbox.connect), "a TCP connection to 8000 in the pod's network opens");
    t.notOk(await probeOnce({ action: "tcpSocket", port: 8001, path: "" }, 2000, sandbox.connect), "one to a closed port of the pod does not");
    t.equal(c.env["POD_NAME"], "chroma-chromadb-0", "fieldRef metadata.name");
    const sa = pod.mounts.get("chromadb")!.get(serviceAccountMount)!;
    t.equal(readFileSync(join(sa, "namespace"), "utf8"), "chroma", "the admission's projected volume: namespace");
    t.match(readFileSync(join(sa, "token"), "utf8"), /^eyJ/, "and token");
    await check({ sandbox, argv: c.argv, log: () => pod.log(), claimDir: claimDir("data"), mounts: pod.mounts.get("chromadb")! });
  } catch (error) {
    t.comment(pod.log());
    throw error;
  } finally {
    const exits = await pod.stop();
    t.match(exits.get("chromadb"), { killed: false }, "the server stops on SIGTERM within the chart's grace period (5 s)");
  }
}

t.test("chart 0.2.2 with its defaults: Chroma 1.5.3 from the image's ENTRYPOINT/CMD", async (t) => {
  await runChartPod(t, "1.5.3", chart022, async ({ sandbox, argv, claimDir, mounts }) => {
    t.same(
      argv.slice(1),
      ["--", join(requireVenv("1.5.4"), "bin", "chroma"), "run", mounts.get("/config.yaml")],
      "dumb-init -- chroma run /config.yaml, the chart's config mounted there by subPath",
    );
    const beat = await get(sandbox, 8000, "/api/v2/heartbeat");
    t.equal(beat.status, 200, "the server answers its heartbeat on the chart's port");
    t.match(beat.body, /nanosecond heartbeat/);
    const created = await get(sandbox, 8000, "/api/v2/tenants/default_tenant/databases/default_database/collections");
    t.equal(created.status, 200, "no auth on 1.x (the chart has none for it)");
    t.ok(readdirSync(claimDir).includes("chroma.sqlite3"), "persist_path /data is the claim's directory");
  });
});

t.test("chart 0.1.23 with its defaults: Chroma 0.6.3 from the image's entrypoint, token auth from a ConfigMap and a Secret", async (t) => {
  await runChartPod(t, "0.6.3", chart0123, async ({ sandbox, argv, log, claimDir }) => {
    t.equal(argv.length, 3, "dumb-init -- /docker_entrypoint.sh, no arguments: the server's line from the image's env");
    t.match(argv[2], /image\/docker_entrypoint\.sh$/);
    const beat = await get(sandbox, 8000, "/api/v2/heartbeat");
    t.equal(beat.status, 200, "the server answers its heartbeat on the image's port 8000");
    const path = "/api/v2/tenants/default_tenant/databases/default_database/collections";
    t.equal((await get(sandbox, 8000, path)).status, 403, "without the token: refused (envFrom's provider is in effect)");
    t.equal((await get(sandbox, 8000, path, { Authorization: "Bearer wrong" })).status, 403, "a wrong token: refused");
    t.equal((await get(sandbox, 8000, path, { Authorization: `Bearer ${token}` })).status, 200, "the Secret's token: served");
    t.match(
      log(),
      /\[\d\d-\d\d-\d{4} \d\d:\d\d:\d\d\] Uvicorn running on http:\/\/0\.0\.0\.0:8000/,
      "uvicorn on the image's CHROMA_HOST_ADDR:CHROMA_HOST_PORT, logging by the chart's log config",
    );
    t.ok(readdirSync(claimDir).includes("chroma.sqlite3"), "PERSIST_DIRECTORY /index_data is the claim's directory");
  });
});
