/**
 * Packed state format, version 1 (all little-endian). One Redis string per user.
 *
 * ```
 * 0   u8    format version (1)           lua/save_state.lua reads bytes 0 and 4..7
 * 1   u8    sequence count (5, SEQUENCE_NAMES order)
 * 2   u16   D: dictionary entries
 * 4   u32   revision (compare-and-set token; 1.. for stored states)
 * 8   f64   maxTs: newest accepted event time (ms)
 * 16  f64   floorTs: dedup horizon (ms)
 * 24  u16   F: dedup fingerprints
 * 26  u16×5 length of each sequence
 * 36  u32   reserved (0)
 * 40  dictionary, columnar: item id64 D×8, category id64 D×8, brand id64 D×8
 *     dedup: fingerprint D×8 (F×8), seconds u32 F×4, millis u16 F×2
 *     per sequence (n records): dictionary index u16 n×2, seconds u32 n×4, millis u16 n×2,
 *     type u8 n×1
 * ```
 * A record costs 9 bytes plus its share of the 24-byte dictionary entry of its distinct
 * (item, category, brand): a click kept in short_mixed and long_click, or an item clicked
 * then bought, pays for its ids once.
 */
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 40;
export const RECORD_BYTES = 9;
export const DICT_ENTRY_BYTES = 24;
export const DEDUP_ENTRY_BYTES = 14;
/** Byte offset of the revision, read by lua/save_state.lua. */
export const REVISION_OFFSET = 4;
