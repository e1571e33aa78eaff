/** Where the cluster listens and what addresses it hands out: loopback ports picked free, fixed address ranges. */
import { createServer, type AddressInfo, type Server } from "node:net";
import type { ClusterPorts } from "./types.ts";

/** Service IPs; the first one is the `kubernetes` Service's, named in the apiserver's serving certificate. */
export const SERVICE_CIDR = "10.96.0.0/16";
export const SERVICE_FIRST_IP = "10.96.0.1";
/** Pod IPs kwok hands out: nothing listens there and nothing should dial them. */
export const POD_CIDR = "10.244.0.0/16";

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(port, "127.0.0.1", () => resolve(srv));
  });
}

/**
 * Free ports, reusing the previous run's ports when they are still free (keeps the server URL stable).
 * Every port is held until all are picked, so the five are distinct.
 */
export async function pickPorts(prev: ClusterPorts | undefined): Promise<ClusterPorts> {
  const held: Server[] = [];
  const pick = async (p: number | undefined): Promise<number> => {
    const srv = await listen(p ?? 0).catch(() => listen(0));
    held.push(srv);
    return (srv.address() as AddressInfo).port;
  };
  try {
    return {
      etcd: await pick(prev?.etcd),
      etcdPeer: await pick(prev?.etcdPeer),
      apiserver: await pick(prev?.apiserver),
      controllerManager: await pick(prev?.controllerManager),
      scheduler: await pick(prev?.scheduler),
    };
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** The apiserver's URL for these ports. */
export function serverUrl(ports: ClusterPorts): string {
  return `https://127.0.0.1:${ports.apiserver}`;
}
