import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProbe } from './probe.js';
import type { Pod } from '../pod.js';
import type { Event } from '../schema/event.js';
import { describeText } from './describe.js';
import { podDescriber } from './pod-describe.js';

const describePod = (pod: Pod, events: Event[] = []): string => describeText(podDescriber, pod, { related: { events }, now: Date.now() });

describe('describeProbe', () => {
  test('prints each handler as kubectl does', () => {
    assert.equal(describeProbe({ httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }),
      'http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3');
    assert.equal(describeProbe({ exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1 }), 'exec [cat /tmp/ready] delay=0s timeout=1s period=1s #success=1 #failure=3');
    assert.equal(describeProbe({ tcpSocket: { port: 'web' }, initialDelaySeconds: 5, failureThreshold: 30 }), 'tcp-socket :web delay=5s timeout=1s period=10s #success=1 #failure=30');
  });

  test('describe pod shows Liveness, Readiness and Startup lines under the container', () => {
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'main', image: 'busybox', livenessProbe: { httpGet: { path: '/healthz', port: 8080 } }, readinessProbe: { exec: { command: ['cat', '/tmp/ready'] } }, startupProbe: { tcpSocket: { port: 8080 } } }] },
    };
    const text = describePod(pod, []);
    assert.match(text, /^ {4}Liveness: +http-get http:\/\/:8080\/healthz delay=0s timeout=1s period=10s #success=1 #failure=3$/m);
    assert.match(text, /^ {4}Readiness: +exec \[cat \/tmp\/ready\] delay=0s/m);
    assert.match(text, /^ {4}Startup: +tcp-socket :8080 delay=0s/m);
  });
});
