import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../api/errors.js';
import { decodeProtobuf } from './decode.js';
import { kubeProtos } from './load.js';

/** A body as client-go writes it: "k8s\0" + runtime.Unknown{typeMeta, raw: the encoded object}. */
function body(apiVersion: string, kind: string, type: string, value: Record<string, unknown>): Buffer {
  const root = kubeProtos();
  const msg = root.lookupType(type);
  const raw = msg.encode(msg.fromObject(value)).finish();
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const envelope = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), envelope]);
}

test('a Deployment decodes to its JSON form: zero time and Go zero values left out, pointers kept, inline structs inlined', () => {
  const obj = decodeProtobuf(body('apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment', {
    // Go writes every non-pointer field: the zero time, empty strings, a zero hostPort.
    metadata: { name: 'web', namespace: '', generateName: '', creationTimestamp: { seconds: -62135596800, nanos: 0 }, labels: { app: 'web', empty: '' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      strategy: {},
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'c', image: 'busybox', args: ['-c', ''], stdin: false, ports: [{ containerPort: 80, hostPort: 0 }], resources: { limits: { cpu: { string: '500m' } } } }],
          runAsNonRoot: undefined,
          volumes: [{ name: 'scratch', volumeSource: { emptyDir: {} } }],
        },
      },
    },
  }));
  assert.deepEqual(obj, {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', empty: '' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'c', image: 'busybox', args: ['-c', ''], ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m' } } }],
          // VolumeSource is inlined in JSON (Go's json:",inline").
          volumes: [{ name: 'scratch', emptyDir: {} }],
        },
      },
    },
  });
});

test('special types: Time as RFC 3339, IntOrString as a number or a name, bytes as base64', () => {
  const svc = decodeProtobuf(body('v1', 'Service', 'k8s.io.api.core.v1.Service', {
    metadata: { name: 's', creationTimestamp: { seconds: 1_700_000_000 } },
    spec: { ports: [{ port: 80, targetPort: { type: 0, intVal: 8080 } }, { port: 443, targetPort: { type: 1, strVal: 'https' } }] },
  })) as { metadata: { creationTimestamp: string }; spec: { ports: { targetPort: unknown }[] } };
  assert.equal(svc.metadata.creationTimestamp, '2023-11-14T22:13:20Z');
  assert.deepEqual(svc.spec.ports.map((p) => p.targetPort), [8080, 'https']);
  const secret = decodeProtobuf(body('v1', 'Secret', 'k8s.io.api.core.v1.Secret', { metadata: { name: 's' }, data: { k: Buffer.from('s3cr3t') }, type: 'Opaque' }));
  assert.deepEqual(secret.data, { k: Buffer.from('s3cr3t').toString('base64') });
});

test('a body without the magic is a 400; a kind with no proto is a 415 naming what to send', () => {
  assert.throws(() => decodeProtobuf(Buffer.from('{"kind":"Pod"}')), (e: unknown) => e instanceof ApiError && e.code === 'BadRequest' && /k8s\\0/.test(e.message));
  const root = kubeProtos();
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const env = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion: 'lantern.dev/v1', kind: 'Queue' } })).finish();
  assert.throws(() => decodeProtobuf(Buffer.concat([Buffer.from('k8s\0', 'binary'), env])),
    (e: unknown) => e instanceof ApiError && e.code === 'UnsupportedMediaType' && /send Queue \(lantern.dev\/v1\) as application\/json/.test(e.message));
  assert.throws(() => decodeProtobuf(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff, 0xff, 0xff])), (e: unknown) => e instanceof ApiError && e.code === 'BadRequest');
});
