import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import { backendAnnotation, nodeIpAnnotation, vtepMacAnnotation } from '../../api/pod-network.js';
import { agentNode, apiError, withNodes, type Kit } from './testkit.js';

const withAnnotations = (n: Node, annotations: Record<string, string>): Node => ({ ...n, metadata: { ...n.metadata, annotations: { ...n.metadata.annotations, ...annotations } } });

async function registered(kit: Kit, name: string): Promise<Node> {
  await kit.as(name).create('nodes', agentNode(name));
  return kit.as(name).get<Node>('nodes', name);
}

describe('node restriction: the pod network annotations a node writes about itself', () => {
  test('a node publishes its own VTEP MAC and address, and other nodes read them', () => withNodes(async (kit) => {
    const n = await registered(kit, 'edge-1');
    const ok = await kit.as('edge-1').update<Node>('nodes', withAnnotations(n, { [vtepMacAnnotation]: '0a:58:0a:2a:01:00', [nodeIpAnnotation]: '192.168.1.11' }));
    assert.equal(ok.metadata.annotations?.[vtepMacAnnotation], '0a:58:0a:2a:01:00');
    await registered(kit, 'edge-2');
    assert.equal((await kit.as('edge-2').get<Node>('nodes', 'edge-1')).metadata.annotations?.[nodeIpAnnotation], '192.168.1.11');
  }));

  test('may not set them on another Node', () => withNodes(async (kit) => {
    await registered(kit, 'edge-1');
    const other = await registered(kit, 'edge-2');
    await assert.rejects(kit.as('edge-1').update('nodes', withAnnotations(other, { [nodeIpAnnotation]: '192.168.1.66' })), apiError('Forbidden'));
    assert.equal((await kit.admin.get<Node>('nodes', 'edge-2')).metadata.annotations?.[nodeIpAnnotation], undefined);
  }));

  for (const [what, annotations, field, message] of [
    ['a MAC that is not a MAC', { [vtepMacAnnotation]: 'not-a-mac' }, vtepMacAnnotation, /must be a unicast MAC address/],
    ['a multicast MAC', { [vtepMacAnnotation]: '01:00:5e:00:00:01' }, vtepMacAnnotation, /unicast MAC/],
    ['an address with a line break', { [nodeIpAnnotation]: '192.168.1.11\n10.0.0.1' }, nodeIpAnnotation, /must be the node's IPv4 address/],
    ['a host name for an address', { [nodeIpAnnotation]: 'evil.example.com' }, nodeIpAnnotation, /IPv4 address/],
    ['another key under network.lantern.dev/', { 'network.lantern.dev/routes': '0.0.0.0/0' }, 'network.lantern.dev/routes', /may set only/],
    ['the backend the server records', { [backendAnnotation]: 'host-gw' }, backendAnnotation, /API server and admins only/],
  ] as const) {
    test(`refuses ${what} (Forbidden, naming the annotation)`, () => withNodes(async (kit) => {
      const n = await registered(kit, 'edge-1');
      await assert.rejects(kit.as('edge-1').update('nodes', withAnnotations(n, annotations)), apiError('Forbidden', message, `metadata.annotations.${field}`));
      await assert.rejects(kit.as('edge-2').create('nodes', withAnnotations(agentNode('edge-2'), annotations)), apiError('Forbidden', message, `metadata.annotations.${field}`));
    }));
  }
});
