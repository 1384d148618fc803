/**
 * DSIN's session boundary: a new session starts after this much idle time. The derived views
 * themselves (sessions, time-gap buckets, SIM's category match) are computed at read time by
 * libs/features' tensor builder, following docs/manifest.md, for serving and training alike.
 */
export const SESSION_GAP_MS = 30 * 60_000;
