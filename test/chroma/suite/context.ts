/**
 * What every group of a version's suite knows: the version, its matrix row and the auth transports it has, how a
 * group marks a feature as proven, and the version's HTTP facts (an API route behind auth, the status of a
 * refused request, the CORS origins the pods allow or not).
 */
import type { Test } from "tap";
import type { Feature, MatrixVersion, Row } from "../../../module/matrix.ts";

export interface SuiteContext {
  readonly version: MatrixVersion;
  readonly row: Row;
  /** The version has token auth via `Authorization: Bearer`. */
  readonly tokenA: boolean;
  /** The version has token auth via `X-Chroma-Token`. */
  readonly tokenX: boolean;
  /** The version has basic auth. */
  readonly basic: boolean;
  /** Records that `t` proves feature `f` (the last test checks every feature of the row was), with a comment of the cell. */
  feature(f: Feature, t: Test): void;
}

export const is1x = (version: string) => version.startsWith("1.");
export const allowedOrigin = "http://allowed.example";
export const otherOrigin = "http://other.example";

/** A real API route that needs auth (0.6.3's GET /api/v1/collections answers 400, so v2 there). */
export function apiPath(version: string): string {
  return is1x(version) || version.startsWith("0.6.") ? "/api/v2/tenants/default_tenant/databases/default_database/collections" : "/api/v1/collections";
}

/** What a refused request gets: the nginx proxy's 401, on every version (it is in front of every version with auth). */
export function deniedStatus(_version: string): number {
  return 401;
}

/** What a 0.x server refuses behind the proxy (a request sent to it directly, on loopback): 0.4.x 401, 0.5/0.6 403. */
export function serverDeniedStatus(version: string): number {
  return version.startsWith("0.5.") || version.startsWith("0.6.") ? 403 : 401;
}
