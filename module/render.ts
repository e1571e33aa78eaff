/** The module's entry: validated values of one instance in, Kubernetes objects out. Pure and deterministic. */
import type { Rendered } from "../core/types.ts";
import type { Values } from "../schemas/values.ts";
import { resolveInstance, type InstanceContext } from "./instance.ts";
import { authSecret } from "./templates/auth.ts";
import { configData, renderConfigMap } from "./templates/config.ts";
import { renderIngress, renderService, renderServiceAccount } from "./templates/network.ts";
import { renderNetworkPolicy } from "./templates/network-policy.ts";
import { renderCertificate, tlsSecret } from "./templates/tls.ts";
import { renderStatefulSet } from "./templates/workload.ts";

export function render(values: Values, context: InstanceContext): Rendered {
  const instance = resolveInstance(values, context);
  const data = configData(instance);
  const objects = [
    renderServiceAccount(instance),
    renderConfigMap(instance, data),
    renderService(instance),
    renderNetworkPolicy(instance),
    renderStatefulSet(instance, data),
    renderIngress(instance),
    renderCertificate(instance),
  ].filter((object) => object !== undefined);
  return { objects, generatedSecrets: [authSecret(instance), tlsSecret(instance)].filter((secret) => secret !== undefined) };
}
