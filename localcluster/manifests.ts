/** The apiserver's config files, written into the state dir at every start: audit policy, admission config. */
import { writeFileSync } from "node:fs";
import type { LocalClusterPaths } from "./paths.ts";
import { KWOK_USER, LOCAL_NODE_USER } from "./pki.ts";

const AUDIT_POLICY = `# Written by localcluster/manifests.ts.
# Every write (create, update, patch, delete, deletecollection) by anyone is logged at Metadata (verb, user,
# objectRef, responseStatus); reads by people and tests are logged too. Only health probes, discovery and
# the control plane's own reads are left out.
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"]
  - level: None
    verbs: ["get", "list", "watch"]
    users: ["system:kube-controller-manager", "system:kube-scheduler", "system:apiserver", "${KWOK_USER}", "${LOCAL_NODE_USER}"]
  - level: None
    verbs: ["get", "list", "watch"]
    userGroups: ["system:serviceaccounts", "system:nodes"]
  - level: Metadata
`;

const ADMISSION_CONFIG = `# Written by localcluster/manifests.ts: Pod Security "restricted" is enforced in every namespace
# that does not say otherwise with pod-security.kubernetes.io/* labels; kube-system is exempt.
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: PodSecurity
    configuration:
      apiVersion: pod-security.admission.config.k8s.io/v1
      kind: PodSecurityConfiguration
      defaults:
        enforce: "restricted"
        enforce-version: "latest"
        audit: "restricted"
        audit-version: "latest"
        warn: "restricted"
        warn-version: "latest"
      exemptions:
        usernames: []
        runtimeClasses: []
        namespaces: ["kube-system"]
`;

export function writeConfigFiles(paths: LocalClusterPaths): void {
  writeFileSync(paths.auditPolicy, AUDIT_POLICY);
  writeFileSync(paths.admissionConfig, ADMISSION_CONFIG);
}
