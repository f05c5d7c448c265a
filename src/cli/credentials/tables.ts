/** Tables for `lcctl token list` and `lcctl node credentials` (pure: rows from API answers). */
import { kubeAge } from '../../api/printers/age.js';

/** A join token as GET /apis/lantern.dev/v1/jointokens lists it. */
export interface JoinTokenRow { id: string; description: string; createdAt: string; expires?: string }

/** A node credential as GET /apis/lantern.dev/v1/nodecredentials lists it. */
export interface NodeCredentialRow { node: string; firstJoin: string; lastJoin: string; nodeSecret: boolean; via?: string }

/** Time left until `iso`, as kubeadm's TTL column: 23h, 5m, <forever>, <expired>. */
export function ttlLeft(iso: string | undefined, now: number): string {
  if (iso === undefined) return '<forever>';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '<unknown>';
  if (t <= now) return '<expired>';
  // kubeAge measures time since a moment; the time until one is the same length.
  return kubeAge(new Date(now - (t - now)).toISOString(), now);
}

/** kubeadm token list's columns, without secrets: ID, TTL, EXPIRES, DESCRIPTION. */
export function joinTokenTable(items: readonly JoinTokenRow[], now: number): { header: string[]; rows: string[][] } {
  return {
    header: ['ID', 'TTL', 'EXPIRES', 'DESCRIPTION'],
    rows: items.map((t) => [t.id, ttlLeft(t.expires, now), t.expires ?? '<never>', t.description === '' ? '<none>' : t.description]),
  };
}

/** NODE, ISSUED (first join), LAST JOIN (the current credential), NODE SECRET, VIA (the token it came with). */
export function nodeCredentialTable(items: readonly NodeCredentialRow[], now: number): { header: string[]; rows: string[][] } {
  return {
    header: ['NODE', 'ISSUED', 'LAST JOIN', 'NODE SECRET', 'VIA'],
    rows: items.map((c) => [c.node, kubeAge(c.firstJoin, now), kubeAge(c.lastJoin, now), c.nodeSecret ? 'yes' : 'no (joined before node secrets)', c.via ?? '<unknown>']),
  };
}

/** Put a new token into a client config file's text, keeping everything else (server, caData, auths). */
export function replaceConfigToken(text: string, token: string): string {
  return /^token:.*$/m.test(text) ? text.replace(/^token:.*$/m, `token: ${token}`) : `${text.replace(/\n?$/, '\n')}token: ${token}\n`;
}
