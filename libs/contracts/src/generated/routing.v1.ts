/* Generated from schemas/routing.v1.schema.json by scripts/gen-types.mjs (npm run gen -w @seqlane/contracts). Do not edit. */

/**
 * A version served to a share of users, chosen by user-id hash (the users of a smaller share stay in a larger one); null or absent: none.
 */
export type Canary = {
  readonly version: Version;
  /**
   * Share of users served the canary, in (0, 1].
   */
  readonly share: number;
  /**
   * When the canary started, epoch milliseconds: the decision compares the arms over predictions from then on.
   */
  readonly started_at: number;
} | null;
/**
 * A version directory name of the registry.
 */
export type Version = string;

/**
 * <registry>/<model>/routing.json: which versions of one model serve, which one runs as a canary on a share of users (by user-id hash) and which are scored in shadow. Written by `seqlane models canary|shadow|promote|rollback` and the decide job (temp file + rename), read by every scorer on each registry scan. When present and valid it replaces SEQLANE_TRAFFIC_SPLIT for its model. Beyond this schema: canary.version differs from serving, and shadow names neither.
 */
export interface RoutingState {
  /**
   * Routing file version.
   */
  readonly schema: 1;
  /**
   * The version every user gets outside the canary share.
   */
  readonly serving: string;
  readonly canary?: Canary;
  /**
   * Versions scored for every request of this model after the response, logged with shadow: true, never served.
   */
  readonly shadow?: Version[];
  /**
   * When this file was written, epoch milliseconds.
   */
  readonly updated_at?: number;
  /**
   * Who wrote it: `job` (the decide job) or `cli:<user>`.
   */
  readonly updated_by?: string;
}
