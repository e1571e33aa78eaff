/** The context of one instance's run: its options resolved, its progress events and abort checks, its inventory Secret. */
import type { KubeObject } from "../../core/types.ts";
import type { KubeClient } from "../kube/client.ts";
import type { ObjectRef } from "../kube/errors.ts";
import type { ChangeAction } from "./changeset.ts";
import { type Inventory, inventoryName, inventorySecret, inventoryUpToDate } from "./inventory.ts";
import type { InstanceRef } from "./labels.ts";
import { LiveReader } from "./live.ts";
import type { EngineEvent, EngineOptions } from "./options.ts";

const DEFAULT_TIMEOUT = 300_000;

/** `<namespace>/<name>`: how events and messages name an instance. */
export function instanceLabel(i: InstanceRef): string {
  return `${i.namespace}/${i.name}`;
}

/** Requests in flight within a stage of one instance. */
export function concurrencyOf(opts: EngineOptions): number {
  return opts.concurrency ?? 4;
}

/**
 * Instances planned and applied side by side: by default 16, so that the objects of a stage of many instances go
 * out together; the client's connection pool (16 keep-alive connections, kube/transport.ts) bounds what is in flight.
 */
export function instancesAtOnce(opts: EngineOptions): number {
  return opts.concurrency ?? 16;
}

/** A context per instance run. */
export class Run {
  readonly label: string;
  readonly concurrency: number;
  readonly toolVersion: string;
  readonly timeoutMs: number;
  /** The bundle the inventory is labelled with (none: the label is dropped, as after destroy). */
  readonly bundle: string | undefined;
  /** Reads of live objects, shared by the instances of one apply or diff (live.ts). */
  readonly reader: LiveReader;
  constructor(
    readonly opts: EngineOptions,
    readonly instance: InstanceRef,
    shared: { readonly bundle?: string | undefined; readonly reader?: LiveReader | undefined } = {},
  ) {
    this.bundle = shared.bundle;
    this.reader = shared.reader ?? new LiveReader(opts.client);
    this.label = instanceLabel(instance);
    this.concurrency = concurrencyOf(opts);
    this.toolVersion = opts.toolVersion ?? "0.0.0";
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT;
  }
  get client(): KubeClient {
    return this.opts.client;
  }
  emit(phase: EngineEvent["phase"], message: string, object?: string, action?: ChangeAction): void {
    this.opts.onEvent?.({ instance: this.label, phase, message, ...(object ? { object } : {}), ...(action ? { action } : {}) });
  }
  checkAbort(): void {
    this.opts.signal?.throwIfAborted();
  }
  inventoryRef(): ObjectRef {
    return { apiVersion: "v1", kind: "Secret", name: inventoryName(this.instance), namespace: this.instance.namespace };
  }
  /** GET that treats an unknown kind (CRD gone) as a missing object. */
  async getOrGone(ref: ObjectRef): Promise<KubeObject | undefined> {
    return (await this.client.lookup(ref.apiVersion, ref.kind)) ? this.client.get(ref) : undefined;
  }
  async writeInventory(inv: Inventory, live: KubeObject | undefined): Promise<{ live: KubeObject; wrote: boolean }> {
    const desired = inventorySecret(this.instance, inv, this.toolVersion, this.bundle);
    if (live && inventoryUpToDate(live, desired)) return { live, wrote: false };
    this.checkAbort();
    this.emit("inventory", `recording ${inv.entries.length} objects in Secret ${inventoryName(this.instance)}`);
    return { live: await this.client.apply(desired, { force: true }), wrote: true };
  }
}
