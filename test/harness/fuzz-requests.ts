/**
 * The API fuzz test's request generator: seeded (test/harness/prng.ts), so a seed replays the same
 * requests. Each request is a route of the server (every kind in its own and in other groups,
 * subresources, watches, images, join, credentials, the /v2 registry, metrics, health) with a
 * method, an identity, a content type, query values and a body, any of which may be malformed.
 */
import { stringify } from 'yaml';
import type { Prng } from './prng.js';
import { bodyFor, hostileBodies } from './fuzz-bodies.js';

/** The identities a request may carry (the test fills in their tokens). */
export type Who = 'admin' | 'node' | 'join' | 'none' | 'garbage';

/** One planned request. */
export interface FuzzRequest {
  method: string;
  path: string;
  who: Who;
  headers: Record<string, string>;
  body?: Buffer;
  /** Set when the path names a kind under a group version that is not the kind's: any 2xx is a fault. */
  wrongGroup?: boolean;
  /** A raw request written to a socket as is (malformed HTTP). */
  raw?: Buffer;
}

/** What the generator knows about a kind (from api/kinds). */
export interface FuzzKind { resource: string; kind: string; apiVersion: string; namespaced: boolean }

const gvPath = (gv: string): string => (gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`);
const names = ['a', 'web', 'p', 'cm', 'fuzz-node', 'node-1', 'x.y', 'default'];
const oddNames = ['%E0%A4%A', '%', '%zz', '%00', '..', '%2F..%2Fetc', 'A_B', '%C3%A9', 'x'.repeat(300), '%252F', ';', 'a%20b'];
const subs = ['status', 'scale', 'binding', 'log', 'exec', 'attach', 'portforward', 'stats', 'proxy', 'eviction', 'tunnel', 'x'];
const methods: [string, number][] = [['GET', 30], ['POST', 25], ['PUT', 15], ['DELETE', 12], ['PATCH', 5], ['HEAD', 4], ['OPTIONS', 3], ['TRACE', 1], ['PROPFIND', 1]];
const types: [string | undefined, number][] = [['application/json', 40], ['application/yaml', 20], [undefined, 12], ['text/yaml', 4], ['application/x-tar', 6], ['application/json; charset=latin1', 4], ['x/y;;=', 4], ['application/vnd.oci.image.manifest.v1+json', 5], ['application/octet-stream', 5]];
const queryValues: Record<string, string[]> = {
  watch: ['1', 'true', 'false', 'x', ''],
  labelSelector: ['app=web', 'a in (', '===', '!', 'a,b,,', 'x notin (a', '%', 'k=' + 'v'.repeat(500), 'a=b,c!=d', 'a in (b,c)'],
  fieldSelector: ['spec.nodeName=node-1', 'metadata.name=a', 'spec.bogus=x', 'nonsense', '=', 'spec.nodeName!=x', ',,'],
  resourceVersion: ['0', '1', 'abc', '-1', '1e3', '99999999999999999999', '', ' 1'],
  dryRun: ['All', 'all', 'x', ''],
  gracePeriodSeconds: ['0', '-1', 'abc', '30', '1e9', ''],
  follow: ['true', '1', 'x'], container: ['c', 'nope', ''], tailLines: ['10', '-5', 'abc'], sinceSeconds: ['1', 'x'],
  timestamps: ['true', 'x'], limitBytes: ['1', '-1', 'x'], previous: ['true'],
  node: ['node-1', 'fuzz-node', 'nope', ''], ref: ['busybox', 'BAD TAG', '::', ''], tag: ['app:1', 'BAD TAG', 'UPPER:x', ''], port: ['80', 'abc', '-1', '99999', ''],
  command: ['sh', ''], stdin: ['true', '1'], tty: ['true'], verbose: ['', '1'], exclude: ['store', 'ping'],
  n: ['10', '-1', 'x'], last: ['a', ''], digest: ['sha256:' + '0'.repeat(64), 'sha256:zz', ''], mount: ['sha256:abc'], from: ['x'],
};

function query(rng: Prng): string {
  const n = rng.weighted<number>([[0, 35], [1, 35], [2, 20], [4, 10]]);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = rng.pick(Object.keys(queryValues));
    const v = rng.pick(queryValues[key]!);
    parts.push(`${key}=${rng.next() < 0.85 ? encodeURIComponent(v) : v.replace(/ /g, '+')}`);
  }
  if (rng.next() < 0.03) parts.push('%zz=1', 'a=%E0%A4%A');
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function name(rng: Prng): string {
  return rng.next() < 0.9 ? rng.pick(names) : rng.pick(oddNames);
}

/** A path of the resource API: KIND under its own group (mostly) or another one. */
function resourcePath(rng: Prng, kinds: FuzzKind[]): { path: string; kind: FuzzKind; wrongGroup: boolean } {
  const kind = rng.pick(kinds);
  const gvs = [...new Set(kinds.map((k) => k.apiVersion)), 'v2', 'example.com/v1'];
  const gv = rng.next() < 0.8 ? kind.apiVersion : rng.pick(gvs);
  const ns = kind.namespaced ? (rng.next() < 0.85 ? `/namespaces/${rng.pick(['default', 'team', 'kube-system'])}` : '') : rng.next() < 0.1 ? '/namespaces/default' : '';
  let path = `${gvPath(gv)}${ns}/${kind.resource}`;
  const depth = rng.weighted<number>([[0, 30], [1, 45], [2, 25]]);
  if (depth >= 1) path += `/${name(rng)}`;
  if (depth >= 2) path += `/${rng.pick(subs)}${rng.next() < 0.05 ? '/metrics/cadvisor' : ''}`;
  return { path, kind, wrongGroup: gv !== kind.apiVersion };
}

const otherPaths = [
  '/healthz', '/livez', '/readyz', '/readyz?verbose', '/healthz/store', '/version', '/cacerts', '/metrics', '/', '/api', '/apis', '/api/v1',
  '/apis/lantern.dev/v1/nodes/join', '/apis/lantern.dev/v1/nodes/fuzz-node/tunnel', '/apis/lantern.dev/v1/nodes/node-1/tunnel',
  '/apis/lantern.dev/v1/images', '/apis/lantern.dev/v1/images/busybox', '/apis/lantern.dev/v1/images/pull', '/apis/lantern.dev/v1/images/push',
  '/apis/lantern.dev/v1/images/tag', '/apis/lantern.dev/v1/images/build', '/apis/lantern.dev/v1/images/save', '/apis/lantern.dev/v1/images/inspect',
  '/apis/lantern.dev/v1/images/prune', '/apis/lantern.dev/v1/images/a/b', '/apis/lantern.dev/v1/images/%E0%A4%A',
  '/apis/lantern.dev/v1/jointokens', '/apis/lantern.dev/v1/jointokens/abc', '/apis/lantern.dev/v1/nodecredentials', '/apis/lantern.dev/v1/nodecredentials/other-node',
  '/apis/lantern.dev/v1/secrets-encryption', '/apis/lantern.dev/v1/secrets-encryption/rotate-keys',
  '/api/v1/nodes/node-1/proxy/metrics/cadvisor', '/api/v1/nodes/fuzz-node/proxy/metrics/cadvisor', '/apis/metrics.k8s.io/v1beta1/nodes', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods',
  '/apis/metrics.k8s.io/v1beta1/pods/x', '/v2', '/v2/', '/v2/_catalog', '/v2/team/app/manifests/1', '/v2/team/app/manifests/sha256:' + '0'.repeat(64),
  '/v2/team/app/tags/list', '/v2/team/app/blobs/sha256:' + 'a'.repeat(64), '/v2/team/app/blobs/uploads/', '/v2/team/app/blobs/uploads/00000000-0000-0000-0000-000000000000',
  '//', '//[', '//%zz', '///api/v1/pods', '//api/v1/namespaces/default/secrets', '/api//v1/nodes', '/v2/../../etc/manifests/x', '/v2/%E0%A4%A/manifests/x', '/v2/UPPER/manifests/x', '/v2/a/manifests/' + 'x'.repeat(300),
];

/** Malformed HTTP written to a socket as is. */
const rawRequests = [
  'GET / HTTP/1.1\r\n\r\n', 'GARBAGE\r\n\r\n', 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n', 'POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{"a"',
  'POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  'GET /healthz HTTP/1.1\r\nHost: x\r\nX: ' + 'a'.repeat(20_000) + '\r\n\r\n', 'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /api/v1/namespaces/\u00e9/pods HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
];

/** The next request of the run. */
export function nextRequest(rng: Prng, kinds: FuzzKind[]): FuzzRequest {
  if (rng.next() < 0.02) return { method: 'RAW', path: '(raw)', who: 'none', headers: {}, raw: Buffer.from(rng.pick(rawRequests), 'latin1') };
  const who = rng.weighted<Who>([['admin', 40], ['node', 30], ['join', 15], ['none', 10], ['garbage', 5]]);
  let method = rng.weighted(methods);
  let path: string;
  let kind: FuzzKind | undefined;
  let wrongGroup = false;
  if (rng.next() < 0.72) ({ path, kind, wrongGroup } = resourcePath(rng, kinds));
  else path = rng.pick(otherPaths);
  // Never take the identities the run uses away (those are legitimate answers, but end the coverage).
  if (/admintoken|nodecredentials\/fuzz-node|\/nodes\/fuzz-node$/.test(path) && method !== 'GET') method = 'GET';
  if (path.includes('watch=') || rng.next() < 0.08) path += `${path.includes('?') ? '&' : '?'}watch=1`;
  path += path.includes('?') ? query(rng).replace('?', '&') : query(rng);
  const headers: Record<string, string> = {};
  const type = rng.weighted(types);
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD' && rng.next() < 0.9) {
    body = rng.next() < 0.06 ? rng.pick(hostileBodies()) : bodyFor(rng, kind, type);
  }
  if (type !== undefined && (body !== undefined || rng.next() < 0.1)) headers['content-type'] = type;
  if (rng.next() < 0.04) { headers.connection = 'Upgrade'; headers.upgrade = rng.pick(['SPDY/3.1', 'websocket', 'lantern-tunnel', 'h2c']); }
  if (rng.next() < 0.02) headers['x-registry-auth'] = rng.pick(['e30=', '!!!', Buffer.from(stringify({ a: 1 })).toString('base64')]);
  return { method, path, who, headers, body, wrongGroup };
}

/**
 * One of issue 11's hostile bodies (cycled by N) to a route that reads a body, as the identity that
 * may call it: the run sends these every so often whatever the dice say, as YAML and as JSON.
 */
export function hostileRequest(rng: Prng, n: number): FuzzRequest {
  const bodies = hostileBodies();
  const body = bodies[n % bodies.length]!;
  const [method, path, who] = rng.pick<[string, string, Who]>([
    ['POST', '/api/v1/nodes', 'node'], ['PUT', '/api/v1/nodes/fuzz-node/status', 'node'], ['POST', '/api/v1/namespaces/default/configmaps', 'admin'],
    ['POST', '/apis/lantern.dev/v1/nodes/join', 'join'], ['PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', 'admin'],
  ]);
  const type = Math.floor(n / bodies.length) % 2 === 0 ? 'application/yaml' : 'application/json';
  return { method, path, who, headers: { 'content-type': type }, body };
}
