/** A streaming tar reader for layer tars: visits every header, keeps only the data the caller asks for. */
import { cleanName } from '../tar-reader.js';

/** One member header (names already long-name/PAX-resolved and cleaned). */
export interface TarMember { name: string; type: string; linkname: string; size: number }

const BLOCK = 512;

function cString(b: Buffer): string {
  const z = b.indexOf(0);
  return b.subarray(0, z < 0 ? b.length : z).toString('utf8');
}

function parseNumber(b: Buffer): number {
  if ((b[0] ?? 0) & 0x80) { // GNU base-256 for sizes over 8 GiB
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + (b[i] ?? 0);
    return n;
  }
  const s = cString(b).trim();
  return s ? parseInt(s, 8) : 0;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    if (sp < 0) break;
    const len = Number(data.subarray(pos, sp).toString());
    if (!len) break;
    const rec = data.subarray(sp + 1, pos + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    pos += len;
  }
  return out;
}

/**
 * Reads `input` to the end; `want(member)` returns whether to keep its data, `got(member, data)` then
 * receives it. Throws naming `label` when the tar is malformed.
 */
export async function walkTar(input: AsyncIterable<Buffer | string>, label: string, want: (m: TarMember) => boolean, got: (m: TarMember, data: Buffer) => void): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let skip = 0; // data and padding bytes still to drop
  let capture: { member: TarMember; parts: Buffer[]; left: number; pad: number; meta?: string } | undefined;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let ended = false;
  for await (const raw of input) {
    let chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    while (chunk.length > 0 && !ended) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length);
        skip -= n; chunk = chunk.subarray(n); continue;
      }
      if (capture) {
        const n = Math.min(capture.left, chunk.length);
        capture.parts.push(chunk.subarray(0, n));
        capture.left -= n; chunk = chunk.subarray(n);
        if (capture.left === 0) {
          const data = Buffer.concat(capture.parts);
          if (capture.meta === 'x') pax = { ...pax, ...parsePax(data) };
          else if (capture.meta === 'L') longName = cString(data);
          else if (capture.meta === 'K') longLink = cString(data);
          else got(capture.member, data);
          skip = capture.pad;
          capture = undefined;
        }
        continue;
      }
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      chunk = Buffer.alloc(0);
      while (pending.length >= BLOCK && !capture && skip === 0) {
        const h = pending.subarray(0, BLOCK);
        pending = pending.subarray(BLOCK);
        if (h.every((b) => b === 0)) { ended = true; break; }
        let sum = 0;
        for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
        if (sum !== parseNumber(h.subarray(148, 156))) throw new Error(`${label}: not a tar archive or corrupt (bad header checksum)`);
        const type = String.fromCharCode(h[156] || 0x30);
        const isMeta = type === 'x' || type === 'L' || type === 'K' || type === 'g';
        const size = !isMeta && pax.size !== undefined ? Number(pax.size) : parseNumber(h.subarray(124, 136));
        const pad = (BLOCK - (size % BLOCK)) % BLOCK;
        let name = cString(h.subarray(0, 100));
        const prefix = h.subarray(257, 263).toString('latin1') === 'ustar\0' ? cString(h.subarray(345, 500)) : '';
        if (prefix) name = `${prefix}/${name}`;
        const member: TarMember = { name: cleanName(longName ?? pax.path ?? name), type, linkname: longLink ?? pax.linkpath ?? cString(h.subarray(157, 257)), size };
        if (isMeta) {
          if (type === 'g') skip = size + pad;
          else capture = { member, parts: [], left: size, pad, meta: type };
        } else {
          pax = {}; longName = undefined; longLink = undefined;
          if (want(member)) {
            if (size === 0) got(member, Buffer.alloc(0));
            else capture = { member, parts: [], left: size, pad };
          } else skip = size + pad;
        }
        if (capture && capture.left === 0) { // zero-length meta record
          capture = undefined;
        }
      }
      if (capture || skip > 0) { chunk = pending; pending = Buffer.alloc(0); }
    }
  }
  if (capture || skip > 0) throw new Error(`${label}: truncated tar (a member's data is cut short)`);
}
