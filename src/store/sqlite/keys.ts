/**
 * Prefix queries as index ranges. SQLite compares TEXT with memcmp over UTF-8, i.e. in code point
 * order, so "starts with p" is exactly the range [p, prefixEnd(p)).
 */

/** The smallest string above every string that starts with prefix; undefined when unbounded. */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop();
    const cp = last === undefined ? undefined : last.codePointAt(0);
    if (cp === undefined || cp >= 0x10ffff) continue; // nothing above U+10FFFF: bump the char before
    const next = cp === 0xd7ff ? 0xe000 : cp + 1; // skip the surrogate block, it is not valid UTF-8
    return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** A [start, end) key range for a prefix; end undefined means "to the last key". */
export interface KeyRange { start: string; end: string | undefined }

/** The key range covering every key that starts with prefix. */
export function prefixRange(prefix: string): KeyRange {
  return { start: prefix, end: prefixEnd(prefix) };
}
