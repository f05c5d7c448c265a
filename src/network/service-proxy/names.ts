/**
 * Names of the proxy's chains and sets. kube-proxy's nftables mode is the model: a short hash keeps
 * names unique whatever the characters, the readable tail says what a chain is for in `nft list`.
 */
import { createHash } from 'node:crypto';

/** The nftables table the proxy owns (`table ip lantern-proxy`); nothing else writes in it. */
export const defaultProxyTable = 'lantern-proxy';

/**
 * The table of the node whose pods sit on `bridge`: lantern-proxy for the default bridge, and one per
 * bridge otherwise, so several lanternd on one host (tests) never rewrite each other's rules.
 */
export function proxyTableFor(bridge: string): string {
  return bridge === 'lantern0' ? defaultProxyTable : `${defaultProxyTable}-${bridge.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The mark that asks the postrouting chain to masquerade (kube-proxy's 0x4000). */
export const masqueradeMark = 0x4000;

/** `ns/name/proto/portName` of one Service port: the unit the proxy programs. */
export function servicePortName(namespace: string, name: string, protocol: string, portName: string): string {
  return `${namespace}/${name}/${protocol.toLowerCase()}/${portName}`;
}

/** Only characters nft takes in a name: the API validates names, but the script must never depend on it. */
function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9._/-]/g, '_');
}

/** nft allows 255 bytes in a chain or set name; the hash keeps a cut name unique. */
const maxName = 240;

/** 8 characters of base32(sha256), as kube-proxy's chain names. */
function hash8(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[(digest[i] ?? 0) % 32];
  return out;
}

/** The chain that picks an endpoint for a Service port's ClusterIP. */
export function serviceChain(spn: string): string {
  return `svc-${hash8(spn)}-${safe(spn)}`.slice(0, maxName);
}

/**
 * The named map a service chain picks its endpoint from (`numgen random mod N vmap @pick-...`). Named,
 * not anonymous: the kernel names each anonymous set by scanning all of them, quadratic in Services.
 */
export function pickMap(spn: string): string {
  return `pick-${hash8(spn)}-${safe(spn)}`.slice(0, maxName);
}

/** The chain NodePort traffic enters: masquerade, then the service chain. */
export function externalChain(spn: string): string {
  return `ext-${hash8(spn)}-${safe(spn)}`.slice(0, maxName);
}

/** The chain that DNATs to one endpoint (`ip:port`) of a Service port. */
export function endpointChain(spn: string, endpoint: string): string {
  const tail = `${spn}__${endpoint.replace(':', '/')}`;
  return `ep-${hash8(tail)}-${safe(tail)}`.slice(0, maxName);
}

/**
 * The set of clients recently sent to one endpoint (sessionAffinity: ClientIP). The timeout is part
 * of the hash: a changed timeout makes a new set, since a set in use cannot be redefined.
 */
export function affinitySet(spn: string, endpoint: string, timeoutSeconds: number): string {
  const tail = `${spn}__${endpoint.replace(':', '/')}`;
  return `aff-${hash8(`${tail}#${timeoutSeconds}`)}-${safe(tail)}`.slice(0, maxName);
}
