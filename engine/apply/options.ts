/** What callers tell the engine: the client, progress events, limits, and the options of apply, diff and destroy. */
import type { KubeClient } from "../kube/client.ts";
import type { ChangeAction } from "./changeset.ts";
import type { Stage } from "./order.ts";

/** A progress line for the CLI. */
export interface EngineEvent {
  /** `<namespace>/<name>` of the instance. */
  readonly instance: string;
  readonly phase: "plan" | Stage | "inventory" | "prune" | "wait" | "delete";
  readonly message: string;
  readonly object?: string | undefined;
  readonly action?: ChangeAction | undefined;
}

export interface EngineOptions {
  readonly client: KubeClient;
  readonly onEvent?: ((event: EngineEvent) => void) | undefined;
  /** Requests in flight within a stage of one instance (default 4), and instances side by side (default 16). */
  readonly concurrency?: number | undefined;
  /** Version written in the ApplySet tooling annotation `chroma-mod/<version>` (default "0.0.0"). */
  readonly toolVersion?: string | undefined;
  /** Aborts between requests (Ctrl-C); the next apply converges thanks to the superset inventory. */
  readonly signal?: AbortSignal | undefined;
  /** Timeout in ms of waits: readiness, CRDs established, deletions (default 300000). */
  readonly timeoutMs?: number | undefined;
  /**
   * How to get a kind the cluster does not serve, by `<apiVersion>/<kind>` (the module's `kindHints`): the hint of
   * the error that names it, instead of the generic one.
   */
  readonly kindHints?: Readonly<Record<string, string>> | undefined;
}

/** The bundle a set of instances belongs to. */
interface BundleRef {
  /** Each instance's inventory Secret is labelled `chroma-mod.io/bundle: <name>`. */
  readonly name: string;
  /**
   * The instances are the whole bundle: an instance whose inventory carries the bundle's label but that is not in the
   * set left the bundle, and is removed as destroy does. False when only some instances were selected.
   */
  readonly complete: boolean;
  /**
   * The name was derived from the bundle's file name, not written in the bundle. Two bundle files of the same name
   * (`team-a/prod.config.ts`, `team-b/prod.config.ts`) would then remove each other's instances, so instances that
   * left such a bundle are only reported, never removed: removal needs a `name` the user chose.
   */
  readonly nameFromFile?: boolean | undefined;
}

/** Options of apply and diff (diff tells what apply would do with the same options). */
export interface ApplyOptions extends EngineOptions {
  /** The bundle of the instances (labels, and removal of instances that left it). Without it, instances stand alone. */
  readonly bundle?: BundleRef | undefined;
  /** Delete and re-create objects whose immutable fields change (never PersistentVolumeClaims). */
  readonly force?: boolean | undefined;
  /** Ids of objects taken over from another tool (adopt.ts): re-created past immutable fields without `force`. */
  readonly adopted?: ReadonlySet<string> | undefined;
  /** Take over fields owned by other field managers (server-side apply force=true). */
  readonly forceConflicts?: boolean | undefined;
  /** Lifts the keep-data rule (`keptForData`, prune.ts) for objects that left the set and instances that left the bundle. */
  readonly deleteData?: boolean | undefined;
  /** Wait for readiness after applying (default false; the CLI turns it on). */
  readonly wait?: boolean | undefined;
  /** Poll interval in ms while waiting (default 1000). */
  readonly pollIntervalMs?: number | undefined;
  /** Recorded with the revision this apply adds (e.g. "rollback to 2"). */
  readonly revisionNote?: string | undefined;
}

export interface DestroyOptions extends EngineOptions {
  /** Lifts the keep-data rule (`keptForData`, prune.ts): the objects that hold data are deleted too. */
  readonly deleteData?: boolean | undefined;
  /** Wait until deleted objects are gone (default false). */
  readonly wait?: boolean | undefined;
}
