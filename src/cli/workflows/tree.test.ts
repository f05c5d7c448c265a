import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Workflow } from '../../api/schema/workflow.js';
import { renderWorkflowTree } from './tree.js';
import { workflowTable } from '../../api/printers/workflow.js';
import { kindTable } from '../output/kind-table.js';

const now = Date.parse('2026-01-01T00:05:00Z');
const t = (m: number, s = 0): string => new Date(Date.parse('2026-01-01T00:00:00Z') + m * 60_000 + s * 1000).toISOString();
const tmpl = { template: { spec: { containers: [{ name: 'main', image: 'busybox' }] } } };
const wf: Workflow = {
  apiVersion: 'lantern.dev/v1', kind: 'Workflow', metadata: { name: 'train-pipeline', creationTimestamp: t(0) },
  spec: { steps: [
    { name: 'evaluate', dependsOn: ['train'], template: tmpl },
    { name: 'prepare', template: tmpl },
    { name: 'train', dependsOn: ['prepare'], withParams: ['0.1', '0.2'], template: tmpl },
  ] },
  status: { phase: 'Running', startedAt: t(0), steps: [
    { name: 'prepare', phase: 'Succeeded', startedAt: t(0), finishedAt: t(0, 12) },
    { name: 'train', phase: 'Running', startedAt: t(1), attempts: 1, jobs: [{ name: 'train-pipeline-train-1-0', param: '0.1', phase: 'Succeeded' }, { name: 'train-pipeline-train-1-1', param: '0.2', phase: 'Running' }] },
    { name: 'evaluate', phase: 'Pending' },
  ] },
};

test('on a terminal: box lines and symbols, steps in dependency order, fan-out Jobs under their step', () => {
  const lines = renderWorkflowTree(wf, now, { symbols: true, color: false }).split('\n');
  assert.match(lines[0]!, /^workflow train-pipeline {2}Running {2}5m$/);
  assert.match(lines[1]!, /^├─ ✔ prepare +Succeeded +12s$/);
  assert.match(lines[2]!, /^├─ ● train \[2 params\] +Running +4m +after prepare$/);
  assert.match(lines[3]!, /^│  ├─ ✔ train\(0\.1\) +Succeeded +train-pipeline-train-1-0$/);
  assert.match(lines[4]!, /^│  └─ ● train\(0\.2\) +Running +train-pipeline-train-1-1$/);
  assert.match(lines[5]!, /^└─ ○ evaluate +Pending +after train$/);
  assert.doesNotMatch(lines.join('\n'), /\x1b\[/);
});

test('off a terminal: words and ASCII only; colour only when asked', () => {
  const text = renderWorkflowTree(wf, now, { symbols: false, color: false });
  assert.match(text, /^\|- prepare +Succeeded/m);
  assert.match(text, /^`- evaluate +Pending/m);
  assert.doesNotMatch(text, /[✔●○├└]/);
  assert.match(renderWorkflowTree(wf, now, { symbols: true, color: true }), /\x1b\[32mSucceeded/);
});

test('get workflows: status, succeeded steps and duration', () => {
  const tbl = kindTable(workflowTable, [wf], { wide: false, namespaces: false, labels: false }, now);
  assert.deepEqual(tbl.header, ['NAME', 'STATUS', 'STEPS', 'DURATION', 'AGE']);
  assert.deepEqual(tbl.rows[0], ['train-pipeline', 'Running', '1/3', '5m', '5m']);
});
