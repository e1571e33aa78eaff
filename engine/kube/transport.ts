/** One HTTP(S) request to the API server, and the rules for retrying it (network errors, 429, 5xx). */
import * as http from "node:http";
import * as https from "node:https";

const TYPED_PATCH_ERROR = /failed to create typed patch object/;
export const RETRY_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "EAI_AGAIN", "UND_ERR_SOCKET"]);

/** Bounded exponential backoff. */
export interface RetryPolicy {
  /** Total attempts, first one included (default 5). */
  readonly attempts: number;
  /** First delay in ms, doubled each retry (default 250). */
  readonly baseDelayMs: number;
  /** Cap of one delay in ms, Retry-After included (default 4000). */
  readonly maxDelayMs: number;
}
/** Delay before retry number `retry` (0-based), honouring Retry-After seconds when the server sent one. */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfter?: string): number {
  const after = retryAfter !== undefined ? Number(retryAfter) * 1000 : NaN;
  const delay = Number.isFinite(after) && after > 0 ? after : policy.baseDelayMs * 2 ** retry;
  return Math.min(delay, policy.maxDelayMs);
}

/** Whether an HTTP answer is worth retrying (server-side apply reports schema errors as 500: not transient). */
export function isRetryableStatus(status: number, text = ""): boolean {
  return (status === 429 || (status >= 500 && status !== 501)) && !TYPED_PATCH_ERROR.test(text);
}

/** Sockets kept open per run: enough for the requests a run keeps in flight (instances × objects, both bounded). */
const MAX_SOCKETS = 16;

/**
 * The agent client-node builds for the cluster (its TLS material, or a proxy's), made to keep connections open:
 * client-node's own closes the connection after each request, so every request paid a new TCP and TLS handshake.
 * A proxy agent (socks, http(s) proxy) is kept as it is.
 */
export function keepAlive(agent: http.Agent): http.Agent {
  const options = (agent as http.Agent & { options: https.AgentOptions }).options;
  if (agent.constructor === https.Agent) return new https.Agent({ ...options, keepAlive: true, maxSockets: MAX_SOCKETS });
  if (agent.constructor === http.Agent) return new http.Agent({ ...options, keepAlive: true, maxSockets: MAX_SOCKETS });
  return agent;
}

export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function describeNetError(e: NodeJS.ErrnoException): string {
  return `${e.code} (${e.message})`;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function send(
  url: URL,
  opts: { method: string; headers: Record<string, string>; agent: http.Agent | undefined; auth: string | null | undefined; timeoutMs: number },
  payload: string | undefined,
): Promise<{ status: number; text: string; retryAfter?: string }> {
  const mod = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      { method: opts.method, headers: opts.headers, agent: opts.agent, auth: opts.auth ?? undefined, timeout: opts.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"];
          resolve({ status: res.statusCode as number, text: Buffer.concat(chunks).toString("utf8"), ...(retryAfter ? { retryAfter } : {}) });
        });
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs} ms`), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
