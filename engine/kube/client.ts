/**
 * A small Kubernetes client: kubeconfig, auth and TLS come from @kubernetes/client-node's KubeConfig; requests are
 * raw HTTP so that server-side apply sends exactly our object (the typed API drops unknown fields).
 */
import type * as http from "node:http";
import type * as https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeObject } from "../../core/types.ts";
import { splitApiVersion } from "./api-version.ts";
import { loadKubeconfig } from "./kubeconfig.ts";
import { backoffDelay, describeNetError, isRetryableStatus, keepAlive, parseBody, RETRY_CODES, type RetryPolicy, send, sleep } from "./transport.ts";
import {
  ClusterUnreachableError,
  errorFromResponse,
  KindNotFoundError,
  KubeconfigError,
  type ObjectRef,
  type RequestSubject,
  type StatusBody,
} from "./errors.ts";

const FIELD_MANAGER = "chroma-mod";

/** How to reach the cluster. Everything is optional: defaults follow kubectl ($KUBECONFIG, ~/.kube/config). */
export interface KubeClientOptions {
  /** Path of the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config). */
  readonly kubeconfig?: string | undefined;
  /** Context name (default: the kubeconfig's current context). */
  readonly context?: string | undefined;
  /** Default namespace (default: the context's namespace, else "default"). */
  readonly namespace?: string | undefined;
  /** Field manager used for server-side apply (default "chroma-mod"). */
  readonly fieldManager?: string | undefined;
  /** Sent as User-Agent (default "chroma-mod"). */
  readonly userAgent?: string | undefined;
  /** Retry policy for 429/5xx/connection resets. */
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Timeout of one request in ms (default 30000). */
  readonly requestTimeoutMs?: number | undefined;
}

/** kind → REST resource, as discovery reports it. */
export interface ResourceMapping {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name, e.g. "deployments". */
  readonly resource: string;
  readonly namespaced: boolean;
}

export interface RawRequest {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  readonly path: string;
  readonly query?: Record<string, string | undefined> | undefined;
  readonly body?: unknown;
  readonly contentType?: string | undefined;
  /** Accept header (default application/json). */
  readonly accept?: string | undefined;
}

export interface RawResponse {
  readonly status: number;
  readonly body: unknown;
}

interface APIResourceList {
  readonly resources: ReadonlyArray<{ readonly name: string; readonly kind: string; readonly namespaced: boolean }>;
}

export { splitApiVersion };

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly server: string;
  readonly contextName: string;
  readonly userName: string;
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly fieldManager: string;
  readonly retry: RetryPolicy;
  private readonly userAgent: string;
  private readonly requestTimeoutMs: number;
  private readonly discovery = new Map<string, Promise<APIResourceList | undefined>>();
  private agent: http.Agent | undefined;
  /** Counts of requests sent, by kind, for progress reporting and tests. */
  readonly counts = { reads: 0, writes: 0, dryRuns: 0 };

  private constructor(kc: KubeConfig, path: string, opts: KubeClientOptions) {
    this.kubeConfig = kc;
    this.kubeconfigPath = path;
    this.contextName = kc.getCurrentContext();
    const ctx = kc.getContextObject(this.contextName);
    const cluster = kc.getCurrentCluster();
    if (!ctx || !cluster) {
      throw new KubeconfigError(
        `The kubeconfig ${path} has no usable context "${this.contextName}" (contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(", ") || "none"
        }).`,
        "Pass --context with one of the listed contexts, or fix the kubeconfig.",
      );
    }
    this.server = cluster.server;
    this.userName = kc.getCurrentUser()?.name ?? "(none)";
    this.namespace = opts.namespace ?? ctx.namespace ?? "default";
    this.fieldManager = opts.fieldManager ?? FIELD_MANAGER;
    this.userAgent = opts.userAgent ?? "chroma-mod";
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.retry = { attempts: 5, baseDelayMs: 250, maxDelayMs: 4000, ...opts.retry };
  }

  /**
   * Loads the kubeconfig (and context) like kubectl does: --kubeconfig alone, else $KUBECONFIG's files that exist,
   * else ~/.kube/config. Throws KubeconfigError when that is impossible: when none of those files exists, client-node
   * would quietly fall back to in-cluster credentials or http://localhost:8080.
   */
  static load(opts: KubeClientOptions = {}): KubeClient {
    const { kubeConfig, shown } = loadKubeconfig(opts);
    return new KubeClient(kubeConfig, shown, opts);
  }

  /** Sends one request with retries; returns the response whatever its status. */
  async raw(req: RawRequest): Promise<RawResponse> {
    const url = new URL(this.server.replace(/\/+$/, "") + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    return this.attempt(url, req, payload, 0);
  }

  private async attempt(url: URL, req: RawRequest, payload: string | undefined, attempt: number): Promise<RawResponse> {
    const opts = await this.credentials();
    this.agent ??= keepAlive(opts.agent as http.Agent);
    const headers: Record<string, string> = {
      ...(opts.headers as Record<string, string>),
      accept: req.accept ?? "application/json",
      "user-agent": this.userAgent,
    };
    if (payload !== undefined) {
      headers["content-type"] = req.contentType ?? "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    const last = attempt + 1 >= this.retry.attempts;
    let res: Awaited<ReturnType<typeof send>>;
    try {
      res = await send(url, { method: req.method, headers, agent: this.agent, auth: opts.auth, timeoutMs: this.requestTimeoutMs }, payload);
    } catch (e) {
      if (!last && RETRY_CODES.has((e as NodeJS.ErrnoException).code as string)) {
        await sleep(backoffDelay(this.retry, attempt));
        return this.attempt(url, req, payload, attempt + 1);
      }
      throw new ClusterUnreachableError(this.server, this.kubeconfigPath, this.contextName, describeNetError(e as NodeJS.ErrnoException));
    }
    if (!last && isRetryableStatus(res.status, res.text)) {
      await sleep(backoffDelay(this.retry, attempt, res.retryAfter));
      return this.attempt(url, req, payload, attempt + 1);
    }
    return { status: res.status, body: parseBody(res.text) };
  }

  /** TLS material and auth headers for one request (exec plugins and token files are re-read by KubeConfig). */
  private async credentials(): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { headers: {} };
    try {
      await this.kubeConfig.applyToHTTPSOptions(opts);
    } catch (e) {
      throw new KubeconfigError(
        `Cannot build credentials for context "${this.contextName}" from ${this.kubeconfigPath}: ${(e as Error).message}.`,
        "Fix the user or cluster entry of this context in the kubeconfig (certificates, token, exec plugin).",
      );
    }
    return opts;
  }

  /** Sends a request; throws the matching KubeError for non-2xx statuses except those listed in `allow`. */
  async request(req: RawRequest, subject: RequestSubject, allow: readonly number[] = []): Promise<RawResponse> {
    if (req.method === "GET") this.counts.reads++;
    else if (req.query?.dryRun) this.counts.dryRuns++;
    else this.counts.writes++;
    const res = await this.raw(req);
    if (res.status < 300 || allow.includes(res.status)) return res;
    throw errorFromResponse(res.status, typeof res.body === "object" ? (res.body as StatusBody) : { message: String(res.body) }, {
      ...subject,
      server: this.server,
      context: this.contextName,
      user: this.userName,
      verb: verbOf(req),
    });
  }

  /**
   * Discovery: the REST resource for a kind, or undefined when the cluster does not serve it. Cached per client
   * (one run); a miss refreshes the group/version once (a CRD applied meanwhile).
   */
  async lookup(apiVersion: string, kind: string): Promise<ResourceMapping | undefined> {
    const { group, version } = splitApiVersion(apiVersion);
    for (const refresh of [false, true]) {
      if (refresh) this.discovery.delete(apiVersion);
      let list = this.discovery.get(apiVersion);
      if (!list) {
        const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
        list = this.request({ method: "GET", path }, { what: `discovery of ${apiVersion}` }, [404]).then((r) =>
          r.status === 404 ? undefined : (r.body as APIResourceList),
        );
        this.discovery.set(apiVersion, list);
        list.catch(() => this.discovery.delete(apiVersion));
      }
      const found = (await list)?.resources.find((r) => r.kind === kind && !r.name.includes("/"));
      if (found) return { apiVersion, group, version, kind, resource: found.name, namespaced: found.namespaced };
    }
    return undefined;
  }

  /** Like lookup, but throws KindNotFoundError naming `ref` when the kind is not served. */
  async mapping(apiVersion: string, kind: string, ref?: ObjectRef): Promise<ResourceMapping> {
    const m = await this.lookup(apiVersion, kind);
    if (!m) throw new KindNotFoundError(apiVersion, kind, ref ? `${kind} "${ref.name}"` : kind);
    return m;
  }

  /** The URL path of a collection (name undefined) or of one object. */
  async pathFor(ref: { apiVersion: string; kind: string; name?: string | undefined; namespace?: string | undefined }): Promise<string> {
    const m = await this.mapping(ref.apiVersion, ref.kind, ref.name ? (ref as ObjectRef) : undefined);
    const base = m.group ? `/apis/${m.group}/${m.version}` : `/api/${m.version}`;
    const ns = m.namespaced && ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : "";
    return `${base}${ns}/${m.resource}${ref.name ? `/${encodeURIComponent(ref.name)}` : ""}`;
  }

  /** GET one object; undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const res = await this.request({ method: "GET", path: await this.pathFor(ref) }, { ref }, [404]);
    return res.status === 404 ? undefined : (res.body as KubeObject);
  }

  /**
   * Server-side apply (PATCH application/apply-patch+yaml with a JSON body, which is valid YAML); with `subresource`,
   * of that subresource (e.g. a Node's "status").
   */
  async apply(obj: KubeObject, opts: { dryRun?: boolean; force?: boolean; subresource?: "status" } = {}): Promise<KubeObject> {
    const ref = refOf(obj);
    const res = await this.request(
      {
        method: "PATCH",
        path: (await this.pathFor(ref)) + (opts.subresource ? `/${opts.subresource}` : ""),
        query: {
          fieldManager: this.fieldManager,
          fieldValidation: "Strict",
          force: opts.force ? "true" : undefined,
          dryRun: opts.dryRun ? "All" : undefined,
        },
        body: obj,
        contentType: "application/apply-patch+yaml",
      },
      { ref },
    );
    return res.body as KubeObject;
  }

  /** A JSON patch (RFC 6902) of one object, e.g. a `test` of its resourceVersion and a `replace` of its managedFields. */
  async jsonPatch(ref: ObjectRef, ops: readonly { op: string; path: string; value?: unknown }[]): Promise<KubeObject> {
    const req = { method: "PATCH", path: await this.pathFor(ref), body: ops, contentType: "application/json-patch+json" } as const;
    return (await this.request(req, { ref })).body as KubeObject;
  }

  /** DELETE one object; false when it was already gone. */
  async delete(ref: ObjectRef, propagationPolicy: "Background" | "Foreground" | "Orphan" = "Background"): Promise<boolean> {
    const res = await this.request(
      { method: "DELETE", path: await this.pathFor(ref), body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy } },
      { ref },
      [404],
    );
    return res.status !== 404;
  }

  /** LIST objects of a kind, optionally in one namespace, by label and/or field selector. */
  async list(
    apiVersion: string,
    kind: string,
    opts: { namespace?: string | undefined; labelSelector?: string | undefined; fieldSelector?: string | undefined },
  ): Promise<KubeObject[]> {
    const items = await this.listItems<KubeObject>(apiVersion, kind, opts.namespace, "in all namespaces", {
      query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector },
    });
    // Items of a list carry no apiVersion and kind: put first, where a GET has them (YAML diffs compare both).
    return items.map((o) => Object.assign({ apiVersion, kind }, o));
  }

  /**
   * The names of every object of a kind in a namespace (or at cluster scope): a LIST of their metadata only
   * (PartialObjectMetadataList), which tells what exists without reading what it holds.
   */
  async listNames(apiVersion: string, kind: string, namespace: string | undefined): Promise<Set<string>> {
    const items = await this.listItems<{ metadata: { name: string } }>(apiVersion, kind, namespace, "at cluster scope", {
      accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json",
    });
    return new Set(items.map((o) => o.metadata.name));
  }

  /** The items of one LIST request (an empty PartialObjectMetadataList has `items: null`); `unscoped` names no namespace. */
  private async listItems<T>(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    unscoped: string,
    req: Pick<RawRequest, "query" | "accept">,
  ): Promise<T[]> {
    const what = `list ${kind} ${namespace ? `in namespace "${namespace}"` : unscoped}`;
    const res = await this.request({ method: "GET", path: await this.pathFor({ apiVersion, kind, namespace }), ...req }, { what });
    return (res.body as { items: T[] | null }).items ?? [];
  }

  /** Releases sockets. */
  close(): void {
    this.agent?.destroy();
  }
}

export function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
}

const VERBS = { GET: "get", POST: "create", PATCH: "patch", PUT: "update", DELETE: "delete" } as const;

function verbOf(req: RawRequest): string {
  return VERBS[req.method];
}
