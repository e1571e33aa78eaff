/**
 * Services on loopback: each Service whose selector matches a pod of the local node gets a port on 127.0.0.1 per
 * service port, chosen once and kept (its own port number when free, e.g. 8000, else the next free one), recorded
 * in `<stateDir>/node/services.json` so `apply --local` and `chroma-mod local url` can print it. A connection is
 * forwarded to the target port of a Ready pod, inside the pod's network namespace.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import type { KubeClient } from "../../engine/kube/client.ts";
import type { KubeObject } from "../../core/types.ts";
import { readAddresses, type AddressFile, type ServiceAddresses } from "./addresses.ts";
import type { PodWorker } from "./pod-worker.ts";

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}
interface Service extends KubeObject {
  spec: { selector?: Record<string, string>; ports?: ServicePort[] };
}

function writeAddresses(file: string, content: AddressFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

function listen(port: number, onConnection: (s: Socket) => void): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer(onConnection);
    server.once("error", () => resolve(undefined));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(server));
  });
}

export class ServiceForwarder {
  private readonly addresses: ServiceAddresses;
  private readonly servers = new Map<string, Server>();
  private serving = "";

  constructor(
    private readonly client: KubeClient,
    private readonly file: string,
    private readonly workers: () => Iterable<PodWorker>,
    private readonly log: (line: string) => void,
  ) {
    this.addresses = existsSync(file) ? readAddresses(file).ports : {};
  }

  /** One pass: a listener for every port of every Service that selects a pod of this node. */
  async sync(): Promise<void> {
    const services = (await this.client.list("v1", "Service", {})) as Service[];
    const workers = [...this.workers()];
    let changed = false;
    const wanted = new Set<string>();
    for (const svc of services) {
      const selector = svc.spec.selector;
      const ns = svc.metadata.namespace!;
      if (!selector || Object.keys(selector).length === 0) continue;
      if (!workers.some((w) => w.namespace === ns && matches(w.labels, selector))) continue;
      const key = `${ns}/${svc.metadata.name}`;
      for (const port of svc.spec.ports ?? []) {
        if ((port.protocol ?? "TCP") !== "TCP") continue;
        const portKey = port.name ?? String(port.port);
        const id = `${key}:${portKey}`;
        wanted.add(id);
        if (this.servers.has(id)) continue;
        const known = this.addresses[key]?.[portKey];
        const server = await this.open(known, port.port, (socket) => this.forward(socket, ns, selector, port));
        if (!server) {
          this.log(`no loopback port for service ${id}`);
          continue;
        }
        const bound = (server.address() as { port: number }).port;
        this.servers.set(id, server);
        if (known !== bound) {
          this.addresses[key] = { ...this.addresses[key], [portKey]: bound };
          changed = true;
        }
        this.log(`service ${id} on 127.0.0.1:${bound}`);
      }
    }
    for (const [id, server] of this.servers) {
      if (!wanted.has(id)) {
        server.close();
        this.servers.delete(id);
      }
    }
    const serving = [...new Set([...this.servers.keys()].map((id) => id.slice(0, id.lastIndexOf(":"))))].sort();
    if (changed || JSON.stringify(serving) !== this.serving) {
      this.serving = JSON.stringify(serving);
      writeAddresses(this.file, { ports: this.addresses, serving });
    }
  }

  /** The port recorded before, else the service's own port, else the next free one above it (or 30000). */
  private async open(known: number | undefined, own: number, onConnection: (s: Socket) => void): Promise<Server | undefined> {
    const taken = new Set(Object.values(this.addresses).flatMap((ports) => Object.values(ports)));
    if (known !== undefined) {
      const server = await listen(known, onConnection);
      if (server) return server;
    }
    const first = own >= 1024 ? own : 30000;
    for (let port = first; port < first + 1000 && port < 65536; port++) {
      if (taken.has(port)) continue;
      const server = await listen(port, onConnection);
      if (server) return server;
    }
    return undefined;
  }

  private forward(socket: Socket, ns: string, selector: Record<string, string>, port: ServicePort): void {
    socket.on("error", () => {});
    const worker = [...this.workers()].find((w) => w.namespace === ns && w.ready && matches(w.labels, selector));
    const target = worker ? targetPort(worker, port) : undefined;
    if (!worker?.network || target === undefined) {
      socket.destroy();
      return;
    }
    socket.pause();
    worker.network.connect(target).then(
      (upstream) => {
        upstream.on("error", () => socket.destroy());
        socket.on("close", () => upstream.destroy());
        upstream.on("close", () => socket.destroy());
        socket.pipe(upstream);
        upstream.pipe(socket);
        socket.resume();
      },
      () => socket.destroy(),
    );
  }

  /** Stops serving (the node stops): the ports stay recorded for the next start. */
  close(): void {
    for (const server of this.servers.values()) server.close();
    this.servers.clear();
    writeAddresses(this.file, { ports: this.addresses, serving: [] });
  }
}

function matches(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The container port a service port targets on this pod (a number, or a named port of one of its containers). */
function targetPort(worker: PodWorker, port: ServicePort): number | undefined {
  const t = port.targetPort ?? port.port;
  if (typeof t === "number") return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of worker.spec.containers) {
    const named = (c.ports ?? []).find((p) => p.name === t);
    if (named) return named.containerPort;
  }
  return undefined;
}
