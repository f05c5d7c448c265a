import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
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
const base: Omit<NodeServices, 'nodeMetrics'> = {
  podLogs: unused, podExec: unused, podAttach: unused, podPortForward: unused, podStats: unused,
  listImages: unused, importImage: unused, removeImage: unused, pullImage: unused, pushImage: unused, tagImage: unused,
};

const remoteOf = (services: NodeServices): { remote: RemoteNodeServices; close: () => void } => {
  const [a, b] = duplexPair();
  const server = new TunnelMux(a);
  const agent = new TunnelMux(b, serveNodeServices(services));
  return { remote: new RemoteNodeServices(server, 'edge'), close: () => { a.destroy(); b.destroy(); void agent; } };
};

describe('nodeMetrics over the node tunnel', () => {
  test('a remote node hands its metrics text through unchanged', async () => {
    const text = '# HELP machine_cpu_cores Cores.\n# TYPE machine_cpu_cores gauge\nmachine_cpu_cores 2\n';
    const { remote, close } = remoteOf({ ...base, nodeMetrics: async () => text });
    try {
      assert.equal(await remote.nodeMetrics(), text);
    } finally { close(); }
  });

  test('a node without metrics answers with an error naming what is missing', async () => {
    const { remote, close } = remoteOf(base);
    try {
      await assert.rejects(remote.nodeMetrics(), /does not serve metrics/);
    } finally { close(); }
  });
});
