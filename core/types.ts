/**
 * The contract between a module (pure: values in, objects out) and the engine (loads, serialises, applies).
 * Nothing here knows about Chroma, and nothing here imports the rest of the project (docs/architecture.md).
 */
import type * as v from "valibot";
import type { ValueIssue } from "./issues.ts";

/**
 * Annotation (value "true") on an object that holds data: the engine never prunes or deletes it unless asked for
 * exactly that (`--delete-data`). PersistentVolumeClaims are treated so without it.
 */
export const KEEP_ANNOTATION = "chroma-mod.io/keep";

/** A Kubernetes object as plain data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** How the engine fills one key of a generated Secret the first time it creates it. */
export type SecretValueSource =
  /** A literal value (e.g. a user name, a header name). */
  | { readonly value: string }
  /** A random string of `length` characters from [A-Za-z0-9] (URL-safe, accepted by every token parser). */
  | { readonly random: { readonly length: number } }
  /** An htpasswd line `user:<bcrypt hash of password>` built from two other keys of the same Secret. */
  | { readonly htpasswd: { readonly usernameKey: string; readonly passwordKey: string } };

/**
 * A Secret whose values the engine generates once, in the cluster, and never regenerates or overwrites:
 * keys that already exist keep their values; missing keys are added. The module stays pure (no randomness).
 */
export interface GeneratedSecret {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly type?: string;
  /** Key order matters: a key may derive from keys listed before it. */
  readonly generate: Readonly<Record<string, SecretValueSource>>;
  /**
   * A TLS certificate issued once: a CA of the Secret's own (`ca.crt`) and a server certificate it signed
   * (`tls.crt`, `tls.key`), as a kubernetes.io/tls Secret holds them. Should one of the three be missing, all three
   * are issued anew (a key and a certificate that do not match would serve nothing).
   */
  readonly certificate?: CertificateRequest;
}

/** What a generated server certificate is for. */
export interface CertificateRequest {
  readonly commonName: string;
  /** Subject alternative names. */
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** How long the server certificate is valid (the CA: ten years). */
  readonly days: number;
}

/** The keys of an issued certificate in its Secret. */
export const CERTIFICATE_KEYS = ["ca.crt", "tls.crt", "tls.key"] as const;

/** What a module renders for one instance. */
export interface Rendered {
  readonly objects: KubeObject[];
  readonly generatedSecrets: GeneratedSecret[];
}

/** One instance of a bundle, as the engine sees it after the module rendered it. */
export interface RenderedInstance extends Rendered {
  readonly name: string;
  readonly namespace: string;
  /** `<module name>/<module version>`, recorded in the inventory. */
  readonly module: string;
  /** A digest of the resolved values, recorded in the inventory. */
  readonly valuesDigest: string;
  /** The resolved values (plain data), recorded in the instance's history by `apply` (rollback re-applies them). */
  readonly values?: unknown;
  /** The bundle creates the instance's namespace (once, before any instance; engine/namespaces.ts). */
  readonly createNamespace?: boolean | undefined;
  /** Name of the bundle the instance belongs to; its inventory is labelled with it. */
  readonly bundle?: string | undefined;
  /** The bundle's name was derived from its file name (the bundle sets no `name`). */
  readonly bundleNameFromFile?: boolean | undefined;
}

/** What a module says about a running instance, read from its live objects (for `status`). */
export interface Description {
  /** One phrase for the status line, e.g. `Chroma 1.5.9`. */
  readonly summary: string;
  /** The same facts as fields of `status -o json`. */
  readonly fields: Readonly<Record<string, string | undefined>>;
}

/** How much a finding of `check` matters, most first. */
export const SEVERITIES = ["high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One finding of `check`: a risk in valid values, the value path that causes it, and the fix. */
export interface Finding {
  /** A stable name, for `--ignore`. */
  readonly id: string;
  readonly severity: Severity;
  /** The value path, relative to the instance's values. */
  readonly path: string;
  /** What is at risk, in one sentence. */
  readonly message: string;
  readonly fix: string;
}

/** How a client reaches a running instance: which Service port, and where its credentials are (a hint to type). */
export interface Access {
  /** One phrase naming what runs, e.g. `Chroma 1.5.9`. */
  readonly summary: string;
  /** The instance's Service and the name (or number) of the port clients use. */
  readonly service: string;
  readonly port: string;
  /** How to read the credentials, e.g. `token: kubectl -n ns get secret x-auth -o jsonpath='{.data.token}' | base64 -d`; absent without auth. */
  readonly credentials?: string;
  /** The port speaks TLS; `ca` says how to read the CA clients verify it with, when the instance has it. */
  readonly tls?: { readonly ca?: string };
}

/** A module: a values schema, checks across values, a pure render, and a pure description of what runs. */
export interface Module<TValues> {
  readonly name: string;
  readonly version: string;
  readonly valuesSchema: v.GenericSchema<unknown, TValues>;
  check(values: TValues): ValueIssue[];
  render(values: TValues, context: { name: string; namespace: string }): Rendered;
  /** `live`: the instance's objects as the cluster holds them now (those the inventory lists that exist). */
  describe(live: readonly KubeObject[]): Description;
  /** How clients reach an instance rendered from `values` (pure). */
  access(values: TValues, context: { name: string; namespace: string }): Access;
  /** Why an instance running `current` cannot be rolled back to a revision's `target` values (e.g. a data format it cannot read). */
  rollbackRefusal?(current: TValues, target: TValues): string | undefined;
  /** Security and production-readiness findings on valid values (pure): what `check` reports. */
  audit?(values: TValues): Finding[];
  /** How to get each kind the module may render that a cluster may lack (a CRD), by `<apiVersion>/<kind>`. */
  readonly kindHints?: Readonly<Record<string, string>>;
  /** Every id `audit` can report. */
  readonly findingIds?: readonly string[];
}
