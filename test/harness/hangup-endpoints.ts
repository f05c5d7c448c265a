/**
 * The streaming endpoints of lanternd server as the hang-up test speaks to them, each with the
 * points where hanging up makes sense and how many bytes "mid-stream" may wait for. Built from
 * src/cli/io (exec/attach frames), src/client/port-forward.ts, src/client/tunnel and the image routes.
 */
import { encodeFrame, Channel } from '../../src/api/stream-frames.js';
import { PortForwardChannel } from '../../src/client/port-forward.js';
import { FrameType, encodeTunnelFrame } from '../../src/client/tunnel/frames.js';
import type { Hangup, Point, RawRequest } from './hangup-client.js';
import type { Prng } from './prng.js';

/** What the endpoints need to know about the cluster under test. */
export interface Targets {
  /** Pods with containers "ticker" (prints a line every 0.2 s), "echo" (nc -ll -p 8080 -e cat) and "idle" (exec target), by node. */
  pods: { pod: string; node: string }[];
  registryHost: string;
  adminToken: string;
  /** A blob of busybox in the built-in registry (library/busybox). */
  blobDigest: string;
  buildContext: Buffer;
  imageArchive: Buffer;
  uploadBlob: Buffer;
  /** A fresh upload location in the built-in registry (POST .../blobs/uploads/). */
  newUpload: () => Promise<string>;
  /** The joined node whose tunnel the test opens, and its credential. */
  tunnelNode: string;
  tunnelToken: string;
  /** Starts a call that the server routes to the tunnel node; resolves with its status. */
  callTunnelNode: () => Promise<number>;
}

/** One planned conversation: which endpoint, its request, the token, and where to hang up. */
export interface Case { endpoint: string; variant: string; token: string; req: RawRequest; hangup: Hangup; side?: Promise<number>[]; refused?: boolean }

type Maker = (rng: Prng, t: Targets) => Promise<Omit<Case, 'hangup' | 'endpoint'> & { points: Point[]; streamBytes: number }>;

const q = (params: [string, string][]): string => params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
const podBase = (pod: string): string => `/api/v1/namespaces/default/pods/${pod}`;
const noPoints: Point[] = ['mid-head', 'before-answer', 'at-answer'];

const execVariants: { name: string; cmd: string[]; stdin?: boolean; tty?: boolean; input?: string; endInput?: boolean; complete: boolean; bytes: number; points?: Point[] }[] = [
  { name: 'cat-stdin', cmd: ['cat'], stdin: true, input: 'hello\n', endInput: true, complete: true, bytes: 11 },
  { name: 'streaming', cmd: ['sh', '-c', 'while true; do echo out; echo err >&2; sleep 0.05; done'], complete: false, bytes: 200 },
  { name: 'tty-shell', cmd: ['sh'], stdin: true, tty: true, input: 'echo hi; exit\n', complete: true, bytes: 20 },
  { name: 'short', cmd: ['echo', 'hi'], complete: true, bytes: 8 },
  // Ends on its own 50 ms after it starts: a hang-up while it runs meets the exit race (widen-exit-race.ts),
  // so it comes up twice as often, cut where the kill then meets the process's own exit.
  ...[1, 2].map(() => ({ name: 'brief', cmd: ['sleep', '0.05'], complete: true, bytes: 5, points: ['before-answer', 'at-answer', 'at-answer', 'complete'] as Point[] })),
  { name: 'missing-binary', cmd: ['/no/such/binary'], complete: true, bytes: 5 },
];

/** Every endpoint, by name. */
export const endpoints: Record<string, Maker> = {
  exec: async (rng, t) => {
    const { pod } = rng.pick(t.pods);
    const v = rng.pick(execVariants);
    const params: [string, string][] = [['container', 'idle'], ...v.cmd.map((c): [string, string] => ['command', c])];
    if (v.stdin) params.push(['stdin', 'true']);
    if (v.tty) params.push(['tty', 'true'], ['cols', '80'], ['rows', '24']);
    const req: RawRequest = {
      method: 'POST', path: `${podBase(pod)}/exec?${q(params)}`, upgrade: 'lantern-stream',
      onAnswer: (sock, status) => {
        if (status !== 101 || !v.input) return;
        sock.write(encodeFrame(Channel.stdin, v.input));
        if (v.endInput) sock.write(encodeFrame(Channel.stdinEnd, Buffer.alloc(0)));
      },
    };
    return { variant: `${v.name}@${pod}`, token: t.adminToken, req, points: v.points ?? [...noPoints, 'mid-stream', ...(v.complete ? ['complete' as const] : [])], streamBytes: v.bytes };
  },
  attach: async (rng, t) => {
    const { pod } = rng.pick(t.pods);
    const stdin = rng.next() < 0.5;
    const req: RawRequest = {
      method: 'POST', path: `${podBase(pod)}/attach?${q([['container', 'ticker'], ['stdin', String(stdin)]])}`, upgrade: 'lantern-stream',
      onAnswer: (sock, status) => { if (status === 101 && stdin) sock.write(encodeFrame(Channel.stdin, 'ignored\n')); },
    };
    return { variant: `stdin=${stdin}@${pod}`, token: t.adminToken, req, points: [...noPoints, 'mid-stream'], streamBytes: 12 };
  },
  logs: async (rng, t) => {
    const { pod } = rng.pick(t.pods);
    const follow = rng.next() < 0.75;
    const params: [string, string][] = [['container', 'ticker'], ['tailLines', String(rng.int(1, 20))]];
    if (follow) params.push(['follow', 'true']);
    return { variant: `follow=${follow}@${pod}`, token: t.adminToken, req: { method: 'GET', path: `${podBase(pod)}/log?${q(params)}` }, points: [...noPoints, 'mid-stream', ...(follow ? [] : ['complete' as const])], streamBytes: 5 };
  },
  'port-forward': async (rng, t) => {
    const { pod } = rng.pick(t.pods);
    const refused = rng.next() < 0.15;
    // Drawn now, not when the answer comes: the plan must not depend on timing.
    const pings = rng.int(1, 50);
    const halfClose = rng.next() < 0.3;
    const req: RawRequest = {
      method: 'POST', path: `${podBase(pod)}/portforward?port=${refused ? 9999 : 8080}`, upgrade: 'lantern-stream',
      onAnswer: (sock, status) => {
        if (status !== 101) return;
        sock.write(encodeFrame(PortForwardChannel.data, 'ping\n'.repeat(pings)));
        if (halfClose) sock.write(encodeFrame(PortForwardChannel.end, Buffer.alloc(0)));
      },
    };
    return { variant: `${refused ? 'refused' : 'echo'}@${pod}`, token: t.adminToken, req, refused, points: refused ? [...noPoints, 'complete'] : [...noPoints, 'mid-stream'], streamBytes: 12 };
  },
  watch: async (rng, t) => {
    const what = rng.pick(['/api/v1/namespaces/default/pods', '/api/v1/nodes', '/api/v1/pods']);
    return { variant: what, token: t.adminToken, req: { method: 'GET', path: `${what}?watch=1` }, points: [...noPoints, 'mid-stream'], streamBytes: 600 };
  },
  build: async (rng, t) => {
    const remote = rng.next() < 0.15;
    const node = remote ? t.pods.find((p) => p.node !== 'node-1')?.node ?? 'node-1' : 'node-1';
    const req: RawRequest = { method: 'POST', path: `/apis/lantern.dev/v1/images/build?${q([['tag', 'hangup-build:1'], ['node', node]])}`, headers: { 'content-type': 'application/x-tar' }, body: t.buildContext };
    return { variant: node, token: t.adminToken, req, refused: remote, points: [...noPoints, 'mid-upload', 'mid-stream', 'complete'], streamBytes: 60 };
  },
  pull: async (rng, t) => {
    const { node } = rng.pick(t.pods);
    const auth = Buffer.from(JSON.stringify({ username: 'hangup', password: t.adminToken })).toString('base64url');
    const req: RawRequest = { method: 'POST', path: `/apis/lantern.dev/v1/images/pull?${q([['ref', `${t.registryHost}/library/busybox:latest`], ['node', node]])}`, headers: { 'x-registry-auth': auth } };
    return { variant: node, token: t.adminToken, req, points: [...noPoints, 'mid-stream', 'complete'], streamBytes: 40 };
  },
  import: async (rng, t) => {
    const { node } = rng.pick(t.pods);
    const req: RawRequest = { method: 'POST', path: `/apis/lantern.dev/v1/images?${q([['node', node], ['ref', 'hangup-import:1']])}`, headers: { 'content-type': 'application/x-tar' }, body: t.imageArchive };
    return { variant: node, token: t.adminToken, req, points: [...noPoints, 'mid-upload', 'mid-upload', 'complete'], streamBytes: 1 };
  },
  save: async (rng, t) => {
    const { node } = rng.pick(t.pods);
    const req: RawRequest = { method: 'GET', path: `/apis/lantern.dev/v1/images/save?${q([['ref', 'busybox:latest'], ['node', node]])}` };
    return { variant: node, token: t.adminToken, req, points: [...noPoints, 'mid-stream', 'mid-stream', 'complete'], streamBytes: rng.int(1, 600_000) };
  },
  'registry-blob': async (rng, t) => {
    const req: RawRequest = { method: 'GET', path: `/v2/library/busybox/blobs/${t.blobDigest}` };
    return { variant: 'get', token: t.adminToken, req, points: [...noPoints, 'mid-stream', 'complete'], streamBytes: rng.int(1, 200_000) };
  },
  'registry-upload': async (rng, t) => {
    const location = await t.newUpload();
    const req: RawRequest = { method: 'PATCH', path: location, headers: { 'content-type': 'application/octet-stream' }, body: t.uploadBlob };
    return { variant: 'patch', token: t.adminToken, req, points: [...noPoints, 'mid-upload', 'mid-upload', 'complete'], streamBytes: 1 };
  },
  tunnel: async (rng, t) => {
    const side: Promise<number>[] = [];
    const partial = rng.next() < 0.5;
    const req: RawRequest = {
      method: 'GET', path: `/apis/lantern.dev/v1/nodes/${t.tunnelNode}/tunnel`, upgrade: 'lantern-tunnel',
      // Once the tunnel is up, have the server call the node through it, so the hang-up cuts a call in flight.
      onAnswer: (_sock, status) => { if (status === 101) side.push(t.callTunnelNode()); },
      onBody: (sock, chunk) => {
        // Answer the OPEN with half a RESULT frame: the hang-up then cuts a frame in the middle.
        if (partial && chunk.length >= 9) sock.write(encodeTunnelFrame(chunk.readUInt32BE(0), FrameType.result, JSON.stringify({ value: 'x'.repeat(100) })).subarray(0, 20));
      },
    };
    return { variant: partial ? 'partial-frame' : 'plain', token: t.tunnelToken, req, side, points: [...noPoints, 'at-answer', 'mid-stream', 'mid-stream'], streamBytes: rng.int(1, 40) };
  },
};

/** How often each endpoint comes up in a plan. */
export const weights: [string, number][] = [
  ['exec', 7], ['attach', 2], ['logs', 3], ['port-forward', 3], ['watch', 2], ['build', 2], ['pull', 2],
  ['import', 2], ['save', 2], ['registry-blob', 1], ['registry-upload', 1], ['tunnel', 3],
];

/** Plan one case from the PRNG: endpoint, variant, point, bytes and how to hang up. */
export async function planCase(rng: Prng, t: Targets, only?: string[]): Promise<Case> {
  const endpoint = rng.weighted(only ? weights.filter(([e]) => only.includes(e)) : weights);
  const made = await endpoints[endpoint]!(rng, t);
  // Variants the server must refuse (a port nothing listens on, a build through a tunnel) say so.
  const point = rng.pick(made.points);
  const how = rng.pick(['rst', 'close', 'half'] as const);
  const bytes = point === 'mid-head' ? rng.int(1, 120)
    : point === 'mid-upload' ? rng.int(0, (made.req.body?.length ?? 1) - 1)
      : point === 'mid-stream' ? rng.int(1, made.streamBytes) : 0;
  return { endpoint, variant: made.variant, token: made.token, req: made.req, side: made.side, refused: made.refused, hangup: { point, bytes, how } };
}
