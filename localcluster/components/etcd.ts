/** etcd: one member on loopback, plain HTTP, no fsync (a test cluster: speed over durability). */
import type { ClusterPorts } from "../types.ts";
import type { Component } from "./component.ts";

/** Where etcd serves its clients (the apiserver) and /health. */
export function etcdUrl(ports: ClusterPorts): string {
  return `http://127.0.0.1:${ports.etcd}`;
}

export const etcd: Component = {
  name: "etcd",
  args: ({ paths, ports }) => {
    const peer = `http://127.0.0.1:${ports.etcdPeer}`;
    const client = etcdUrl(ports);
    return [
      "--name=local",
      `--data-dir=${paths.etcdDataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=local=${peer}`,
      "--unsafe-no-fsync",
      "--log-level=warn",
      "--auto-compaction-mode=periodic",
      "--auto-compaction-retention=10m",
    ];
  },
};
