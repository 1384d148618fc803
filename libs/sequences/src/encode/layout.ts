/**
 * Packed state format, version 1 (all little-endian). One Redis string per user.
 *
 * ```
 * 0   u8    format version (1)            lua/save_state.lua reads bytes 0 and 4..7
 * 1   u8    sequence count (5, SEQUENCE_NAMES order)
 * 2   u16   I: item dictionary entries
 * 4   u32   revision (compare-and-set token; 1.. for stored states)
 * 8   f64   maxTs: newest accepted event time (ms)
 * 16  f64   floorTs: dedup horizon (ms)
 * 24  u16   F: dedup fingerprints
 * 26  u16×5 length of each sequence
 * 36  u16   C: category dictionary entries
 * 38  u16   B: brand dictionary entries
 * 40  u8    time flags: bit i (0..4) set = sequence i stores wide times; bit 5 = wide dedup times
 * 41  u8    id flags: bit 0/1/2 set = category/brand/item ids all fit 32 bits and are stored
 *           as u32 (numeric ids below 2^32, the common case), else as id64
 * 42  categories: id C×(4|8)
 *     brands: id B×(4|8) (0 = no brand)
 *     items: id I×(4|8), category index u16 I×2, brand index u16 I×2
 *     dedup (F > 0): fingerprint F×8, then event times in whole seconds (rounded up):
 *       narrow (span < 65536 s): base u32, then u16 seconds after base F×2;  wide: u32 F×4
 *     per sequence of n > 0 records: item index u16 n×2, type u8 n×1, then times:
 *       narrow (span < 2^32 ms): base u32 seconds, then u32 ms after base n×4
 *       wide: seconds u32 n×4, millis u16 n×2
 * ```
 * A record costs 7 bytes plus its share of its distinct item's 8- or 12-byte entry (a click
 * kept in short_mixed and long_click, or an item clicked then bought, pays for its ids once);
 * a user's categories and brands cost 4 or 8 bytes each.
 */
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 42;
/** Byte offset of the revision, read by lua/save_state.lua. */
export const REVISION_OFFSET = 4;
/** Bytes of a sequence of n records in narrow (base + u32 offsets) or wide time form. */
export const seqBytes = (n: number, wide: boolean): number => (n === 0 ? 0 : 3 * n + (wide ? 6 * n : 4 + 4 * n));
/** Bytes of a dictionary of n ids (plus `extra` bytes per entry). */
export const dictBytes = (n: number, narrow: boolean, extra = 0): number => n * ((narrow ? 4 : 8) + extra);
/** Bytes of the dedup section of F fingerprints. */
export const dedupBytes = (F: number, wide: boolean): number => (F === 0 ? 0 : 8 * F + (wide ? 4 * F : 4 + 2 * F));
export const DEDUP_WIDE_FLAG = 1 << 5;
export const NARROW_DEDUP_SPAN_S = 65535;
