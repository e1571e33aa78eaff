/** The Service and the optional Ingress. */
import type { KubeObject } from "../../core/types.ts";
import { metadataFor, type Instance } from "../instance.ts";

export function renderService(instance: Instance): KubeObject {
  const { service } = instance.values;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadataFor(instance, instance.names.service, { labels: service.labels, annotations: service.annotations }),
    spec: {
      type: service.type,
      selector: instance.selectorLabels,
      ports: [
        {
          name: "http",
          port: service.port,
          targetPort: "http",
          protocol: "TCP",
          ...(service.nodePort !== undefined && service.type !== "ClusterIP" ? { nodePort: service.nodePort } : {}),
        },
      ],
      ...(service.loadBalancerSourceRanges && service.type === "LoadBalancer" ? { loadBalancerSourceRanges: service.loadBalancerSourceRanges } : {}),
    },
  };
}

export function renderIngress(instance: Instance): KubeObject | undefined {
  const { ingress, service } = instance.values;
  if (!ingress.enabled) return undefined;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: metadataFor(instance, instance.names.service, { annotations: ingress.annotations }),
    spec: {
      ...(ingress.className ? { ingressClassName: ingress.className } : {}),
      ...(ingress.tls.length > 0 ? { tls: ingress.tls } : {}),
      rules: ingress.hosts.map((host) => ({
        host: host.host,
        http: {
          paths: host.paths.map((path) => ({
            path: path.path,
            pathType: path.pathType,
            backend: { service: { name: instance.names.service, port: { number: service.port } } },
          })),
        },
      })),
    },
  };
}

export function renderServiceAccount(instance: Instance): KubeObject | undefined {
  const { serviceAccount } = instance.values;
  if (!serviceAccount.create) return undefined;
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: metadataFor(instance, instance.names.serviceAccount, { annotations: serviceAccount.annotations }),
    automountServiceAccountToken: serviceAccount.automountServiceAccountToken,
  };
}
