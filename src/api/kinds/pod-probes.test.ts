import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { podKind } from './pod.js';
import type { Container, Pod } from '../schema/pod.js';

function pod(c: Partial<Container>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'main', image: 'busybox', ...c }] } };
}

describe('pod probes: admission', () => {
  test('defaults are filled in as Kubernetes does', () => {
    const p = pod({ livenessProbe: { httpGet: { port: 8080 } }, readinessProbe: { exec: { command: ['true'] }, periodSeconds: 2 } });
    podKind.applyDefaults!(p);
    const c = p.spec.containers[0]!;
    assert.deepEqual(c.livenessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    assert.equal(c.readinessProbe?.periodSeconds, 2);
    assert.deepEqual(podKind.validate(p), []);
  });

  test('a probe needs exactly one handler', () => {
    const none = podKind.validate(pod({ livenessProbe: { periodSeconds: 1 } }));
    assert.deepEqual(none.map((c) => c.field), ['spec.containers[0].livenessProbe']);
    assert.match(none[0]!.message, /exactly one handler of exec, httpGet, tcpSocket/);
    const two = podKind.validate(pod({ readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }));
    assert.deepEqual(two.map((c) => c.field), ['spec.containers[0].readinessProbe']);
  });

  test('successThreshold must be 1 for liveness and startup probes, not for readiness', () => {
    const causes = podKind.validate(pod({
      livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 },
      startupProbe: { exec: { command: ['true'] }, successThreshold: 3 },
      readinessProbe: { exec: { command: ['true'] }, successThreshold: 2 },
    }));
    assert.deepEqual(causes.map((c) => c.field), ['spec.containers[0].livenessProbe.successThreshold', 'spec.containers[0].startupProbe.successThreshold']);
  });

  test('thresholds and period below 1 are refused with their field paths', () => {
    const causes = podKind.validate(pod({ livenessProbe: { exec: { command: ['true'] }, failureThreshold: 0, periodSeconds: 0 } }));
    assert.deepEqual(causes.map((c) => c.field).sort(), ['spec.containers[0].livenessProbe.failureThreshold', 'spec.containers[0].livenessProbe.periodSeconds']);
  });

  test('a named port must look like a port name', () => {
    assert.deepEqual(podKind.validate(pod({ ports: [{ name: 'http', containerPort: 80 }], readinessProbe: { httpGet: { port: 'http' } } })), []);
    const causes = podKind.validate(pod({ readinessProbe: { tcpSocket: { port: 'Not_A_Port' } } }));
    assert.deepEqual(causes.map((c) => c.field), ['spec.containers[0].readinessProbe.tcpSocket.port']);
  });
});
