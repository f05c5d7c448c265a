import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeInfo } from '../framework/node-info.js';
import { MakeNode, MakePod } from '../testing/builders.js';
import { nodeName } from './node-name.js';

describe('NodeName filter', () => {
  const node = new NodeInfo(MakeNode().Name('n1').Capacity({ cpu: '1' }).Obj());
  const cases: [string, string | undefined, boolean][] = [
    ['no nodeName fits any node', undefined, true],
    ['an empty nodeName fits any node', '', true],
    ['the named node fits', 'n1', true],
    ['another node does not fit', 'n2', false],
  ];
  for (const [what, wanted, fits] of cases) {
    test(what, () => {
      const pod = MakePod().Name('p').Obj();
      if (wanted !== undefined) pod.spec.nodeName = wanted;
      const status = nodeName.filter(pod, node);
      if (fits) assert.deepEqual(status, { code: 'Success', reasons: [] });
      else assert.deepEqual(status, { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match the requested node name"] });
    });
  }
});
