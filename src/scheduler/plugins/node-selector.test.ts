import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeInfo } from '../framework/node-info.js';
import { MakeNode, MakePod } from '../testing/builders.js';
import { nodeSelector } from './node-selector.js';

describe('NodeSelector filter', () => {
  const node = new NodeInfo(MakeNode().Name('n1').Label('disk', 'ssd').Label('zone', 'a').Obj());
  const unlabelled = new NodeInfo(MakeNode().Name('n2').Obj());
  const cases: [string, Record<string, string> | undefined, NodeInfo, boolean][] = [
    ['no selector fits', undefined, node, true],
    ['an empty selector fits an unlabelled node', {}, unlabelled, true],
    ['one matching label fits', { disk: 'ssd' }, node, true],
    ['every label must match', { disk: 'ssd', zone: 'a' }, node, true],
    ['a different value does not fit', { disk: 'hdd' }, node, false],
    ['one of two not matching does not fit', { disk: 'ssd', zone: 'b' }, node, false],
    ['a missing label does not fit', { gpu: 'true' }, node, false],
    ['an empty value needs the label present', { disk: '' }, unlabelled, false],
  ];
  for (const [what, sel, n, fits] of cases) {
    test(what, () => {
      const b = MakePod().Name('p');
      if (sel) b.NodeSelector(sel);
      const status = nodeSelector.filter(b.Obj(), n);
      if (fits) assert.equal(status.code, 'Success');
      else assert.deepEqual(status, { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] });
    });
  }
});
