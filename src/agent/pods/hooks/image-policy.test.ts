/** The image-policy hook in warn mode: the container starts and a Warning event names the failure. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/pod.js';
import type { ApiObject } from '../../../api/meta.js';
import type { ClusterImagePolicy } from '../../../api/schema/cluster-image-policy.js';
import { openTestApi, type TestApi } from '../../../testing/api.js';
import { FakeRegistry } from '../../../image/distribution/fake-registry.js';
import { sha256 as sha } from '../../../image/digest.js';
import { publicKeyPem } from '../../../image/signing/keys.js';
import { generateKeyPairSync } from 'node:crypto';
import type { AgentContext } from '../../context.js';
import type { ContainerPlan, PodRun } from '../pod-hook.js';
import { ImagePolicyHook } from './image-policy.js';
import { eventually } from '../../../testing/eventually.js';

let t: TestApi;
const reg = new FakeRegistry();
before(async () => { t = await openTestApi({ prefix: 'lantern-w2-imgpol-' }); await reg.start(); });
after(async () => { await reg.stop(); await t.close(); });

test('a warn-mode policy lets an unsigned image run and records a Warning event naming the failure; enforce holds it back', async () => {
  const host = reg.host;
  const config = reg.addBlob(Buffer.from('{}'));
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 2 }, layers: [] }));
  reg.addManifest('team/app', 'v1', bytes, 'application/vnd.oci.image.manifest.v1+json');
  const image = `${host}/team/app:v1`;
  const policy: ClusterImagePolicy = {
    apiVersion: 'policy.lantern.dev/v1alpha1', kind: 'ClusterImagePolicy', metadata: { name: 'team-signed' },
    spec: { images: [{ glob: `${host}/team/**` }], authorities: [{ key: { data: publicKeyPem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey) } }], mode: 'warn' },
  };
  await t.api.create('clusterimagepolicies', policy);
  const ctx = {
    api: t.api, nodeName: 'n1', log: () => undefined,
    registries: { insecure: [], server: { host, scheme: 'http', token: 'admin', mirror: false } },
  } as unknown as AgentContext;
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'w2-u1' }, spec: { containers: [{ name: 'c', image }] } } as Pod;
  const run = { pod, uid: 'w2-u1', log: () => undefined } as unknown as PodRun;
  const plan = (): ContainerPlan => ({ container: pod.spec.containers[0]!, image: { digest: sha(bytes) }, slot: {} } as unknown as ContainerPlan);
  const hook = new ImagePolicyHook(ctx);
  try {
    assert.equal(await hook.prestartContainer(run, plan()), undefined, 'warn mode: the container starts');
    const events = (await t.api.list<ApiObject & { reason?: string; type?: string; message?: string; involvedObject?: { name?: string } }>('events', 'default')).items;
    const warning = events.find((e) => e.reason === 'ImageVerificationWarning');
    assert.equal(warning?.type, 'Warning');
    assert.equal(warning?.involvedObject?.name, 'web');
    assert.match(warning?.message ?? '', /ClusterImagePolicy "team-signed" \(warn\): no signatures found for .*\/team\/app@sha256:[0-9a-f]{64}/);

    const current = await t.api.get<ClusterImagePolicy>('clusterimagepolicies', 'team-signed');
    await t.api.update('clusterimagepolicies', { ...current, spec: { ...current.spec, mode: 'enforce' } });
    // The node's informer sees the update through its watch.
    const held = await eventually('the enforce policy holds the container back', () => hook.prestartContainer(run, plan()));
    assert.equal(held?.waiting?.reason, 'ImageVerificationFailed');
    assert.match(held?.waiting?.message ?? '', /no signatures found .*\(ClusterImagePolicy "team-signed"\)/);
  } finally {
    await hook.poststop(run);
  }
});
