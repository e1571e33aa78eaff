import { KubeError } from "../kube/errors.ts";

/** An apply/destroy the engine refuses or cannot finish (not an API error). */
export class ApplyError extends KubeError {}
