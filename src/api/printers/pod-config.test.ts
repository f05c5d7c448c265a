import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../pod.js';
import type { Event } from '../schema/event.js';
import { describeText } from './describe.js';
import { podDescriber } from './pod-describe.js';

const describePod = (pod: Pod, events: Event[] = []): string => describeText(podDescriber, pod, { related: { events }, now: Date.now() });

test('describe pod shows ConfigMap/Secret volumes and env references as kubectl does', () => {
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
    spec: {
      volumes: [{ name: 'cfg', configMap: { name: 'app' } }, { name: 'sec', secret: { secretName: 'db', optional: true } }],
      containers: [{
        name: 'c', image: 'busybox',
        env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'app', key: 'mode' } } }, { name: 'B', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }],
        envFrom: [{ secretRef: { name: 'db' }, prefix: 'S_' }],
      }],
    },
  };
  const text = describePod(pod);
  assert.match(text, /A:\s+<set to the key 'mode' of config map 'app'>  Optional: false/);
  assert.match(text, /B:\s+<set to the key 'pw' in secret 'db'>  Optional: false/);
  assert.match(text, /Environment Variables from:\s+db  Secret  Optional: false  Prefix: S_/);
  assert.match(text, /Type:\s+ConfigMap \(a volume populated by a ConfigMap\)\n\s+Name:\s+app\n\s+Optional:\s+false/);
  assert.match(text, /Type:\s+Secret \(a volume populated by a Secret\)\n\s+SecretName:\s+db\n\s+Optional:\s+true/);
});
