/**
 * Probes of the local node's pod runner (localcluster/node/runner/probes.ts): httpGet and tcpSocket probes resolved
 * to ports, and one try of a tcpSocket probe as the kubelet's (a TCP connection that opens), on the host's loopback
 * or through a pod's connector.
 */
import { createServer, connect as netConnect, type AddressInfo, type Server, type Socket } from "node:net";
import t, { type Test } from "tap";
import { probeAction, probeOnce, probeTargets, waitReady, type PodConnector } from "../../localcluster/node/runner/probes.ts";
import type { RunningContainer } from "../../localcluster/node/runner/process.ts";

/** A server listening on a free loopback port, closed when the test ends. */
async function listening(t: Test): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

t.test("probeTargets: tcpSocket like httpGet, named ports resolved to containerPorts", async (t) => {
  const targets = probeTargets({
    name: "chromadb",
    image: "i",
    ports: [{ name: "http", containerPort: 8000 }],
    startupProbe: { tcpSocket: { port: "http" }, initialDelaySeconds: 10 },
    livenessProbe: { tcpSocket: { port: 8000 } },
    readinessProbe: { httpGet: { port: "http" } },
  });
  t.match(targets, [
    { container: "chromadb", kind: "startup", action: "tcpSocket", path: "", port: 8000, probe: { initialDelaySeconds: 10 } },
    { kind: "liveness", action: "tcpSocket", port: 8000 },
    { kind: "readiness", action: "httpGet", path: "/", port: 8000 },
  ]);
  t.same(probeTargets({ name: "c", image: "i", readinessProbe: { periodSeconds: 5 } }), [], "a probe with neither action is not run");
  t.throws(() => probeTargets({ name: "c", image: "i", readinessProbe: { tcpSocket: { port: "web" } } }), /container c: probe port "web" is not a named port/);
  t.equal(probeAction(targets[0]!), "TCP connect :8000");
  t.equal(probeAction({ action: "httpGet", port: 8000, path: "/api/v2/heartbeat" }), "GET http://:8000/api/v2/heartbeat");
});

t.test("tcpSocket on loopback: a listening port passes, a closed one fails", async (t) => {
  const { port } = await listening(t);
  t.ok(await probeOnce({ action: "tcpSocket", port, path: "" }), "a real listening socket: the connection opens");
  t.notOk(await probeOnce({ action: "tcpSocket", port: await closedPort(), path: "" }), "a closed port: refused");
});

t.test("tcpSocket through a pod's connector", async (t) => {
  const { port } = await listening(t);
  const opened: Socket[] = [];
  const viaPod: PodConnector = (p) =>
    new Promise((resolve, reject) => {
      const s = netConnect({ host: "127.0.0.1", port: p }, () => resolve(s));
      s.once("error", reject);
      opened.push(s);
    });
  t.ok(await probeOnce({ action: "tcpSocket", port, path: "" }, 1000, viaPod), "the connector opened the port");
  t.ok(opened[0]!.destroyed, "and the probe closed the connection");
  t.notOk(await probeOnce({ action: "tcpSocket", port: await closedPort(), path: "" }, 1000, viaPod), "the connector was refused");
  const never: PodConnector = () => new Promise(() => {});
  const started = Date.now();
  t.notOk(await probeOnce({ action: "tcpSocket", port, path: "" }, 100, never), "no answer within the timeout fails");
  t.ok(Date.now() - started < 1000, "at the timeout");
  let late: (s: Socket) => void = () => {};
  const slow: PodConnector = () => new Promise((resolve) => (late = resolve));
  t.notOk(await probeOnce({ action: "tcpSocket", port, path: "" }, 50, slow), "a connection that opens after the timeout fails");
  const socket = netConnect({ host: "127.0.0.1", port });
  late(socket);
  await new Promise((r) => setImmediate(r));
  t.ok(socket.destroyed, "and is closed when it opens");
});

t.test("waitReady: tcpSocket readiness gates the pod like httpGet", async (t) => {
  const { port } = await listening(t);
  const containers = new Map<string, RunningContainer>([["chromadb", { name: "chromadb", exit: undefined } as RunningContainer]]);
  const probe = { periodSeconds: 5 };
  await waitReady([{ container: "chromadb", kind: "readiness", action: "tcpSocket", path: "", port, probe }], containers, 5000, () => "");
  t.pass("ready once the port accepts");
  const closed = await closedPort();
  await t.rejects(
    waitReady(
      [
        { container: "chromadb", kind: "readiness", action: "tcpSocket", path: "", port: closed, probe },
        { container: "chromadb", kind: "liveness", action: "tcpSocket", path: "", port: closed, probe },
      ],
      containers,
      200,
      () => "the log",
    ),
    new RegExp(`pod not ready after 200 ms \\(probes chromadb: TCP connect :${closed}\\):\\nthe log`),
    "the message names the probe (liveness does not gate readiness)",
  );
});
