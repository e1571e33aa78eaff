/**
 * kube-apiserver: TLS with the cluster CA, RBAC + Node authorization, PodSecurity "restricted" by default, a
 * blocking JSON audit log, and the aggregation layer's front proxy.
 */
import { SERVICE_CIDR } from "../ports.ts";
import { pkiFile, type Component } from "./component.ts";
import { etcdUrl } from "./etcd.ts";

export const apiserver: Component = {
  name: "kube-apiserver",
  args: (ctx) => {
    const { paths, ports } = ctx;
    const p = (f: string): string => pkiFile(ctx, f);
    return [
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      // Since 1.37 the lease endpoint reconciler refuses a loopback advertise address ("may not be in the
      // loopback range"); with "none" the kubernetes Service simply has no endpoints (nothing runs in pods).
      "--endpoint-reconciler-type=none",
      `--secure-port=${ports.apiserver}`,
      `--etcd-servers=${etcdUrl(ports)}`,
      `--tls-cert-file=${p("apiserver.crt")}`,
      `--tls-private-key-file=${p("apiserver.key")}`,
      `--client-ca-file=${p("ca.crt")}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${p("sa.pub")}`,
      `--service-account-signing-key-file=${p("sa.key")}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      "--authorization-mode=Node,RBAC",
      "--enable-admission-plugins=NodeRestriction,PodSecurity",
      `--admission-control-config-file=${paths.admissionConfig}`,
      "--allow-privileged=true",
      `--audit-policy-file=${paths.auditPolicy}`,
      `--audit-log-path=${paths.auditLog}`,
      "--audit-log-format=json",
      "--audit-log-mode=blocking",
      "--audit-log-maxsize=200",
      "--audit-log-maxbackup=2",
      "--profiling=false",
      // Aggregation layer (front proxy): also lets the controller manager and scheduler read a complete
      // extension-apiserver-authentication ConfigMap.
      `--requestheader-client-ca-file=${p("front-proxy-ca.crt")}`,
      "--requestheader-allowed-names=front-proxy-client",
      "--requestheader-username-headers=X-Remote-User",
      "--requestheader-group-headers=X-Remote-Group",
      "--requestheader-extra-headers-prefix=X-Remote-Extra-",
      `--proxy-client-cert-file=${p("front-proxy-client.crt")}`,
      `--proxy-client-key-file=${p("front-proxy-client.key")}`,
    ];
  },
};
