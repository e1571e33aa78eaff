/**
 * Rules the Kubernetes API server applies across fields of the pod spec the values feed (tolerations, affinity,
 * seccomp, resources): `vet` refuses what the cluster would, with the value path.
 */
import type { ValueIssue } from "../core/issues.ts";
import { compareQuantities } from "../core/quantity.ts";
import type { Values } from "../schemas/values.ts";

function resourceIssues(resources: Values["resources"], path: string, issues: ValueIssue[]): void {
  const { requests = {}, limits = {} } = resources;
  for (const [kind, list] of [
    ["requests", requests],
    ["limits", limits],
  ] as const) {
    for (const [name, quantity] of Object.entries(list)) {
      if (typeof quantity === "number" && /e/.test(String(quantity))) {
        issues.push({
          path: `${path}.${kind}.${name}`,
          message: `${quantity} would be written in exponent form. Fix: write it as a string with a suffix, e.g. "100m" or "1Gi".`,
        });
      }
    }
  }
  for (const [name, request] of Object.entries(requests)) {
    const limit = limits[name as keyof typeof limits];
    if (request !== undefined && limit !== undefined && compareQuantities(String(request), String(limit)) > 0) {
      issues.push({
        path: `${path}.requests.${name}`,
        message: `the request (${request}) is more than the limit (${limit}); Kubernetes refuses it. Fix: raise limits.${name} or lower requests.${name}.`,
      });
    }
  }
}

function tolerationIssues(values: Values, issues: ValueIssue[]): void {
  values.tolerations.forEach((toleration, index) => {
    const at = `tolerations.${index}`;
    if (toleration.operator === "Exists" && toleration.value)
      issues.push({
        path: `${at}.value`,
        message: "a toleration with operator Exists matches any value: Kubernetes refuses a value with it. Fix: remove value, or use operator: Equal.",
      });
    if (!toleration.key && toleration.operator !== "Exists")
      issues.push({
        path: `${at}.operator`,
        message: "a toleration without a key matches every taint and must use operator: Exists. Fix: add a key, or set operator: Exists.",
      });
    if (toleration.tolerationSeconds !== undefined && toleration.effect !== "NoExecute")
      issues.push({
        path: `${at}.tolerationSeconds`,
        message:
          "tolerationSeconds applies to effect NoExecute only; Kubernetes refuses it otherwise. Fix: set effect: NoExecute, or remove tolerationSeconds.",
      });
  });
}

interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[] | undefined;
}

/** `In`/`NotIn` need values, `Exists`/`DoesNotExist` take none, `Gt`/`Lt` one whole number. */
function requirementProblem(requirement: Requirement, field: boolean): string | undefined {
  const count = requirement.values?.length ?? 0;
  switch (requirement.operator) {
    case "In":
    case "NotIn":
      if (field && count !== 1) return `${requirement.operator} on a node field takes exactly one value`;
      return count === 0 ? `${requirement.operator} needs at least one value` : undefined;
    case "Exists":
    case "DoesNotExist":
      return count > 0 ? `${requirement.operator} takes no values` : undefined;
    default: // Gt, Lt: the value must also be a label value, so no sign
      return count === 1 && /^\d{1,18}$/.test(requirement.values![0]!) ? undefined : `${requirement.operator} takes exactly one whole number, without a sign`;
  }
}

/** Every `matchExpressions`/`matchFields` list under `node` (the affinity, the NetworkPolicy peers), wherever it sits. */
function selectorIssues(node: unknown, path: string, issues: ValueIssue[]): void {
  if (node === null || typeof node !== "object") return;
  for (const [key, child] of Object.entries(node)) {
    const here = `${path}.${key}`;
    if (key === "matchExpressions" || key === "matchFields") {
      // An optional list may be present and undefined (`matchExpressions: undefined`).
      ((child ?? []) as Requirement[]).forEach((requirement, index) => {
        const problem = requirementProblem(requirement, key === "matchFields");
        if (problem) issues.push({ path: `${here}.${index}.values`, message: `${problem}; Kubernetes refuses it otherwise.` });
      });
    } else selectorIssues(child, here, issues);
  }
}

function seccompIssues(profile: { type: string; localhostProfile?: string | undefined } | undefined, path: string, issues: ValueIssue[]): void {
  if (profile === undefined) return;
  if (profile.type === "Localhost" && !profile.localhostProfile)
    issues.push({ path: `${path}.localhostProfile`, message: "type Localhost needs the profile's file name. Fix: set localhostProfile." });
  if (profile.type !== "Localhost" && profile.localhostProfile !== undefined)
    issues.push({
      path: `${path}.localhostProfile`,
      message: `localhostProfile applies to type Localhost only; Kubernetes refuses it with ${profile.type}. Fix: remove it.`,
    });
}

/** Settings of the NetworkPolicy that would do nothing, or shut every client out. */
function networkPolicyIssues(policy: Values["networkPolicy"], issues: ValueIssue[]): void {
  if (!policy.enabled) return;
  if (!policy.allowExternal && policy.from.length === 0)
    issues.push({
      path: "networkPolicy.from",
      message:
        "allowExternal is false and no client is listed, so no pod could reach Chroma. Fix: list the clients' namespaces or pods in networkPolicy.from, or set allowExternal: true.",
    });
  if (policy.allowExternal && policy.from.length > 0)
    issues.push({
      path: "networkPolicy.from",
      message:
        "lists clients, but allowExternal is true (any client may connect), so the list would change nothing. Fix: set networkPolicy.allowExternal: false.",
    });
  const peers = [
    ...policy.from.map((peer, index) => ({ peer, path: `networkPolicy.from.${index}` })),
    ...policy.extraEgress.flatMap((rule, r) => rule.to.map((peer, index) => ({ peer, path: `networkPolicy.extraEgress.${r}.to.${index}` }))),
  ];
  for (const { peer, path } of peers) {
    const selects = peer.namespaceSelector !== undefined || peer.podSelector !== undefined;
    if (selects === (peer.ipBlock !== undefined))
      issues.push({
        path,
        message: selects
          ? "has both selectors and an ipBlock; Kubernetes refuses a peer with both. Fix: split it into two peers."
          : "is empty; Kubernetes refuses a peer without a selector or an ipBlock. Fix: add namespaceSelector ({} for every namespace), podSelector or ipBlock.",
      });
  }
  if (policy.allowExternalEgress && policy.extraEgress.length > 0)
    issues.push({
      path: "networkPolicy.extraEgress",
      message:
        "lists egress rules, but allowExternalEgress is true (the pod may connect anywhere), so they would change nothing. Fix: set networkPolicy.allowExternalEgress: false.",
    });
}

export function kubeIssues(values: Values): ValueIssue[] {
  const issues: ValueIssue[] = [];
  resourceIssues(values.resources, "resources", issues);
  resourceIssues(values.proxy.resources, "proxy.resources", issues);
  tolerationIssues(values, issues);
  selectorIssues(values.affinity, "affinity", issues);
  selectorIssues(values.networkPolicy, "networkPolicy", issues);
  networkPolicyIssues(values.networkPolicy, issues);
  seccompIssues(values.podSecurityContext.seccompProfile, "podSecurityContext.seccompProfile", issues);
  seccompIssues(values.securityContext.seccompProfile, "securityContext.seccompProfile", issues);
  return issues;
}
