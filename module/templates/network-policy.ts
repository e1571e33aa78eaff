/**
 * The NetworkPolicy of an instance's pod: ingress only to the API port (from any client, or from the listed peers),
 * egress only to DNS and the endpoints the values configure. Kubernetes stores it; the cluster's CNI enforces it.
 */
import type { KubeObject } from "../../core/types.ts";
import { metadataFor, type Instance } from "../instance.ts";

type Policy = Instance["values"]["networkPolicy"];
type Peer = Policy["from"][number];

/** A peer as the API takes it: only the keys that are set. */
function peer(p: Peer): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([, value]) => value !== undefined));
}

/** The port an OTLP endpoint URL connects to (its scheme's default when the URL names none). */
function endpointPort(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === "https:" ? 443 : 80;
}

function egressRules(instance: Instance): Record<string, unknown>[] {
  const { chromadb, networkPolicy } = instance.values;
  const tcp = (port: number) => ({ port, protocol: "TCP" });
  const rules: Record<string, unknown>[] = [{ ports: [{ port: 53, protocol: "UDP" }, tcp(53)] }];
  const ports = new Set<number>();
  if (chromadb.openTelemetry) ports.add(endpointPort(chromadb.openTelemetry.endpoint));
  if (chromadb.anonymizedTelemetry) ports.add(443);
  if (ports.size > 0) rules.push({ ports: [...ports].sort((a, b) => a - b).map(tcp) });
  for (const rule of networkPolicy.extraEgress) {
    rules.push({
      ...(rule.to.length > 0 ? { to: rule.to.map(peer) } : {}),
      ...(rule.ports.length > 0 ? { ports: rule.ports.map((p) => ({ ...(p.port !== undefined ? { port: p.port } : {}), protocol: p.protocol })) } : {}),
    });
  }
  return rules;
}

export function renderNetworkPolicy(instance: Instance): KubeObject | undefined {
  const { networkPolicy, chromadb } = instance.values;
  if (!networkPolicy.enabled) return undefined;
  const ingress = {
    ...(networkPolicy.allowExternal ? {} : { from: networkPolicy.from.map(peer) }),
    ports: [{ port: chromadb.serverHttpPort, protocol: "TCP" }],
  };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadataFor(instance, instance.names.service),
    spec: {
      podSelector: { matchLabels: instance.selectorLabels },
      policyTypes: networkPolicy.allowExternalEgress ? ["Ingress"] : ["Ingress", "Egress"],
      ingress: [ingress],
      ...(networkPolicy.allowExternalEgress ? {} : { egress: egressRules(instance) }),
    },
  };
}
