import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex, PassThrough, Readable } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import type { NodeServices } from '../../api/node-services.js';
import { TunnelMux } from '../../client/tunnel/mux.js';
import { serveNodeServices } from '../../client/tunnel/serve.js';
import { RemoteNodeServices } from './remote-node-services.js';

function duplexPair(): [Duplex, Duplex] {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  return [Duplex.from({ readable: bToA, writable: aToB }), Duplex.from({ readable: aToB, writable: bToA })];
}

const unused = (): never => { throw new Error('not used by this test'); };
const big = Buffer.alloc(3 << 20, 7);

/** A node whose "broken" image fails half-way through its archive. */
const fake: NodeServices = {
  podLogs: unused, podExec: unused, podAttach: unused, podStats: unused, podPortForward: unused,
  listImages: unused, importImage: unused, removeImage: unused, pullImage: unused, pushImage: unused, tagImage: unused,
  exportImages: async (refs) => {
    if (refs.includes('missing')) throw new ApiError('NotFound', 'No such image: missing');
    if (refs.includes('broken')) {
      return Readable.from((async function* () { yield Buffer.from('start'); throw new Error('disk error'); })());
    }
    return Readable.from([Buffer.from(refs.join(',')), big]);
  },
  inspectImage: async (ref) => {
    if (ref !== 'busybox') throw new ApiError('NotFound', `No such image: ${ref}`);
    return { Id: 'sha256:1', RepoTags: ['busybox:latest'], RepoDigests: [], Created: '2024-01-01T00:00:00Z', Architecture: 'amd64', Os: 'linux',
      Config: { Env: null, Cmd: ['sh'], Entrypoint: null, WorkingDir: '', User: '', ExposedPorts: null, Labels: null },
      RootFS: { Type: 'layers', Layers: ['sha256:2'] }, Size: 10, Digest: 'sha256:3', Node: 'edge' };
  },
  pruneImages: async (opts) => ({ ImagesDeleted: opts.all ? [{ Untagged: 'a:1' }, { Deleted: 'sha256:9' }] : [], SpaceReclaimed: opts.all ? 42 : 0 }),
};

function connect(): { remote: RemoteNodeServices; server: TunnelMux } {
  const [a, b] = duplexPair();
  const server = new TunnelMux(a);
  new TunnelMux(b, serveNodeServices(fake));
  return { remote: new RemoteNodeServices(server, 'edge'), server };
}

const readAll = async (s: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
};

describe('save, inspect and prune of a node reached through its tunnel', () => {
  test('a saved archive streams back whole', async () => {
    const { remote, server } = connect();
    const got = await readAll(await remote.exportImages(['a', 'b']));
    assert.equal(got.subarray(0, 3).toString(), 'a,b');
    assert.equal(got.length, 3 + big.length);
    server.close();
  });

  test('an archive the node cannot finish fails on this side instead of ending quietly', async () => {
    const { remote, server } = connect();
    await assert.rejects(readAll(await remote.exportImages(['broken'])), /disconnected|reset/);
    await assert.rejects(remote.exportImages(['missing']), (e: unknown) => e instanceof ApiError && e.code === 'NotFound');
    server.close();
  });

  test('inspect and prune answer as the node does', async () => {
    const { remote, server } = connect();
    assert.deepEqual((await remote.inspectImage('busybox')).RepoTags, ['busybox:latest']);
    await assert.rejects(remote.inspectImage('nope'), (e: unknown) => e instanceof ApiError && e.code === 'NotFound' && /No such image: nope/.test(e.message));
    assert.deepEqual(await remote.pruneImages({ all: true }), { ImagesDeleted: [{ Untagged: 'a:1' }, { Deleted: 'sha256:9' }], SpaceReclaimed: 42 });
    server.close();
  });
});
