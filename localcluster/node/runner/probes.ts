/**
 * Probes and readiness: every httpGet and tcpSocket probe of a container resolved to a port of the pod (named ports
 * to its containerPorts), one kubelet-like try (a GET that answers 2xx/3xx; a TCP connection that opens), and the
 * wait until the startup and readiness probes of every container pass. exec and grpc probes are not run.
 */
import { request } from "node:http";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { PodStartError, type Container, type Probe } from "./pod-spec.ts";
import { describeExit, type RunningContainer } from "./process.ts";

export interface ProbeTarget {
  readonly container: string;
  readonly kind: "startup" | "liveness" | "readiness";
  /** httpGet: a GET of `path`; tcpSocket: a TCP connection to `port` (`path` is ""). */
  readonly action: "httpGet" | "tcpSocket";
  /** httpGet over TLS: the certificate is not verified, as the kubelet does not. */
  readonly https?: boolean;
  readonly path: string;
  readonly port: number;
  /** The probe's timing as rendered (periods, thresholds). */
  readonly probe: Probe;
}

/**
 * Opens a TCP connection to `port` of the pod (its own network, or the host's loopback when it has none): resolves
 * once the port accepted it, rejects when it did not.
 */
export type PodConnector = (port: number) => Promise<Socket>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The container's startup, liveness and readiness httpGet and tcpSocket probes, named ports resolved to its containerPorts. */
export function probeTargets(c: Container): ProbeTarget[] {
  const portOf = (port: string | number): number => {
    if (typeof port === "number") return port;
    const named = (c.ports ?? []).find((p) => p.name === port);
    if (!named) throw new PodStartError(`container ${c.name}: probe port "${port}" is not a named port of the container`);
    return named.containerPort;
  };
  const targets: ProbeTarget[] = [];
  for (const kind of ["startup", "liveness", "readiness"] as const) {
    const probe = c[`${kind}Probe`];
    if (probe?.httpGet)
      targets.push({
        container: c.name,
        kind,
        action: "httpGet",
        https: probe.httpGet.scheme === "HTTPS",
        path: probe.httpGet.path || "/",
        port: portOf(probe.httpGet.port),
        probe,
      });
    else if (probe?.tcpSocket) targets.push({ container: c.name, kind, action: "tcpSocket", path: "", port: portOf(probe.tcpSocket.port), probe });
  }
  return targets;
}

/** What a probe does, as its events say: `GET http://:8000/api/v2/heartbeat`, `TCP connect :8000`. */
export function probeAction(p: Pick<ProbeTarget, "action" | "port" | "path" | "https">): string {
  return p.action === "tcpSocket" ? `TCP connect :${p.port}` : `GET ${p.https ? "https" : "http"}://:${p.port}${p.path}`;
}

/**
 * One try of a probe, as the kubelet's: an HTTP GET succeeds on a 2xx/3xx answer, a TCP probe when the connection
 * opens (then it is closed); through `connect` when the pod has a network of its own.
 */
export async function probeOnce(p: Pick<ProbeTarget, "action" | "port" | "path" | "https">, timeoutMs = 2000, connect?: PodConnector): Promise<boolean> {
  if (p.action === "tcpSocket") return tcpOnce(connect ?? loopback, p.port, timeoutMs);
  // HTTPS, as the kubelet probes it: TLS over the same connection, the certificate not verified.
  if (p.https) return probeVia(async (port) => tlsConnect({ socket: await (connect ?? loopback)(port), rejectUnauthorized: false }), p, timeoutMs);
  if (connect) return probeVia(connect, p, timeoutMs);
  try {
    const res = await fetch(`http://127.0.0.1:${p.port}${p.path}`, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}

/** A connection to 127.0.0.1:`port` of the host (a pod without a network of its own). */
const loopback: PodConnector = (port) =>
  new Promise((resolve, reject) => {
    const socket = netConnect({ host: "127.0.0.1", port });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
  });

/** A TCP probe: the connection opens within the timeout (and is closed at once). */
async function tcpOnce(connect: PodConnector, port: number, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const opened = connect(port).then(
    (socket) => {
      socket.destroy();
      return true;
    },
    () => false,
  );
  try {
    return await Promise.race([opened, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An HTTP GET of `p.path` over a connection `connect` opened (a pod in its own network namespace). */
function probeVia(connect: PodConnector, p: { port: number; path: string }, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(ok);
    };
    const timer = setTimeout(() => {
      req.destroy();
      finish(false);
    }, timeoutMs);
    const req = request(
      {
        host: "127.0.0.1",
        port: p.port,
        path: p.path,
        method: "GET",
        createConnection: (_o, cb) =>
          void connect(p.port).then(
            (s) => cb(null, s),
            (e: Error) => cb(e, undefined as never),
          ),
      },
      (res) => {
        res.resume();
        res.on("end", () => finish((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400));
        res.on("error", () => finish(false));
      },
    );
    req.on("error", () => finish(false));
    req.end();
  });
}

/**
 * Resolves when the startup and readiness probes all pass; throws when a container exits meanwhile or the deadline
 * passes (`podLog` explains why).
 */
export async function waitReady(
  probes: readonly ProbeTarget[],
  containers: ReadonlyMap<string, RunningContainer>,
  timeoutMs: number,
  podLog: () => string,
  connect?: PodConnector,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const gates = probes.filter((p) => p.kind !== "liveness");
  for (;;) {
    const dead = [...containers.values()].find((c) => c.exit);
    if (dead) throw new PodStartError(`container ${dead.name} exited before the pod was ready (${describeExit(dead.exit)}):\n${podLog()}`);
    const results = await Promise.all(gates.map((p) => probeOnce(p, 2000, connect)));
    if (results.every((r) => r)) break;
    if (Date.now() > deadline)
      throw new PodStartError(`pod not ready after ${timeoutMs} ms (probes ${gates.map((p) => `${p.container}: ${probeAction(p)}`).join(", ")}):\n${podLog()}`);
    await sleep(150);
  }
}
