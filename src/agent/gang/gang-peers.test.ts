import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { eventually } from '../../testing/eventually.js';
import { withTestApi } from '../../testing/api.js';
import { GangPeers } from './gang-peers.js';

const member = (name: string, group = 'train'): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', annotations: { 'scheduling.lantern.dev/group': group } },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});
const quiet = (): undefined => undefined;

describe('gang peers: a namespace\'s gang members from a watch, not a list per second', () => {
  test('members of the group come from the watch; a waiting member is woken by a peer\'s change, a running one is not', () => withTestApi(async ({ api }) => {
    const a = await api.create<Pod>('pods', member('a'));
    await api.create<Pod>('pods', member('x', 'other'));
    const peers = new GangPeers({ api, log: quiet });
    let wakes = 0;
    try {
      peers.follow(a, () => { wakes++; });
      assert.deepEqual((await peers.members(a)).map((p) => p.metadata.name), ['a']);
      peers.setWaiting(a.metadata.uid!, true);
      const before = wakes;
      await api.create<Pod>('pods', member('b'));
      await eventually('the new peer to wake the waiting member', () => wakes > before);
      assert.deepEqual((await peers.members(a)).map((p) => p.metadata.name).sort(), ['a', 'b']);

      peers.setWaiting(a.metadata.uid!, false);
      const settled = wakes;
      await api.create<Pod>('pods', member('c'));
      await eventually('the watch to see c', async () => (await peers.members(a)).length === 3);
      assert.equal(wakes, settled, 'a member that no longer waits is not woken');
    } finally { peers.stop(); }
  }));

  test('the namespace is no longer watched once its last member on this node is gone', () => withTestApi(async ({ api }) => {
    const a = await api.create<Pod>('pods', member('a'));
    const peers = new GangPeers({ api, log: quiet });
    try {
      peers.follow(a, quiet);
      await peers.members(a);
      peers.unfollow(a.metadata.uid!);
      await assert.rejects(peers.members(a), /not followed/);
    } finally { peers.stop(); }
  }));
});
