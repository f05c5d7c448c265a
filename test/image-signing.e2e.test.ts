import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';

interface Pod { status?: { phase?: string; containerStatuses?: Array<{ state?: { waiting?: { reason?: string; message?: string }; running?: unknown; terminated?: unknown } }> } }
interface EventList { items: Array<{ reason?: string; message?: string; involvedObject?: { name?: string } }> }

/**
 * Issue 17 item 6 on real processes: lcctl signs an image in the built-in registry (cosign's `.sig`
 * artifact), verifies it, and the server's node (a real agent) refuses to start a container whose
 * image a ClusterImagePolicy covers but no signature of the policy's key verifies.
 */
describe('image signing and the cluster image policy', { timeout: 300_000 }, () => {
  const server = new TestServer([], { https: true });
  const cli = new Cli(server);
  const dir = mkdtempSync(path.join(tmpdir(), 't5-sign-'));
  const env = { COSIGN_PASSWORD: 't5-password' };
  let host = '';
  const ref = (name: string): string => `${host}/t5/${name}:1`;

  const pushAs = async (name: string): Promise<void> => {
    await cli.ok(['tag', '--node', 'node-1', 'busybox', ref(name)]);
    await cli.ok(['push', '--node', 'node-1', ref(name)]);
  };
  const lcctl = async (code: number, args: string[]): Promise<string> => {
    const r = await cli.run(args, undefined, env);
    assert.equal(r.code, code, `expected exit ${code}\n${explain(server, r)}`);
    return r.stdout + r.stderr;
  };
  const pod = (name: string, image: string): unknown => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-1', restartPolicy: 'Never', containers: [{ name: 'c', image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo t5-ran; sleep 300'] }] },
  });

  before(async () => {
    await server.start();
    host = new URL(server.url).host;
    await cli.ok(['image', 'import', '--node', 'node-1', busyboxArchive(), 'busybox:latest']);
    for (const n of ['signed', 'unsigned', 'other-key']) await pushAs(n);
    await lcctl(0, ['image', 'generate-key-pair', '--output-key-prefix', path.join(dir, 'cosign')]);
    await lcctl(0, ['image', 'generate-key-pair', '--output-key-prefix', path.join(dir, 'other')]);
  });
  after(async () => {
    for (const p of ['t5-unsigned', 't5-signed', 't5-other']) await server.api('DELETE', `/api/v1/namespaces/default/pods/${p}`).catch(() => undefined);
    await server.api('DELETE', '/apis/policy.lantern.dev/v1alpha1/clusterimagepolicies/t5-policy').catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('generate-key-pair writes cosign\'s encrypted key and an SPKI public key', () => {
    assert.match(readFileSync(path.join(dir, 'cosign.key'), 'utf8'), /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/);
    assert.match(readFileSync(path.join(dir, 'cosign.pub'), 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
  });

  test('sign pushes sha256-DIGEST.sig beside the image; verify checks it and prints the payload', async () => {
    const out = await lcctl(0, ['image', 'sign', '--key', path.join(dir, 'cosign.key'), ref('signed')]);
    assert.match(out, new RegExp(`Pushing signature to: ${host}/t5/signed:sha256-[0-9a-f]{64}\\.sig`));
    // Signing again with the same key appends nothing (cosign de-duplicates).
    assert.match(await lcctl(0, ['image', 'sign', '--key', path.join(dir, 'cosign.key'), ref('signed')]), /already present/);
    const verified = await cli.run(['image', 'verify', '--key', path.join(dir, 'cosign.pub'), '-o', 'json', ref('signed')], undefined, env);
    assert.equal(verified.code, 0, explain(server, verified));
    assert.match(verified.stderr, /The signatures were verified against the specified public key/);
    const docs = JSON.parse(verified.stdout) as Array<{ critical: { image: { 'docker-manifest-digest': string }; identity: { 'docker-reference': string } } }>;
    assert.equal(docs[0]?.critical.identity['docker-reference'], `${host}/t5/signed`);
    assert.match(docs[0]!.critical.image['docker-manifest-digest'], /^sha256:[0-9a-f]{64}$/);
  });

  test('verify fails with the reason: no signatures, or a signature of another key', async () => {
    assert.match(await lcctl(1, ['image', 'verify', '--key', path.join(dir, 'cosign.pub'), ref('unsigned')]), /no signatures found for .*t5\/unsigned@sha256:/);
    await lcctl(0, ['image', 'sign', '--key', path.join(dir, 'other.key'), ref('other-key')]);
    assert.match(await lcctl(1, ['image', 'verify', '--key', path.join(dir, 'cosign.pub'), ref('other-key')]), /signature mismatch/);
    assert.match(await lcctl(1, ['image', 'verify', '--key', path.join(dir, 'cosign.key'), ref('signed')]), /expected a PUBLIC KEY block/);
  });

  test('a malformed policy is refused at admission with the field', async () => {
    const res = await server.api('POST', '/apis/policy.lantern.dev/v1alpha1/clusterimagepolicies', {
      apiVersion: 'policy.lantern.dev/v1alpha1', kind: 'ClusterImagePolicy', metadata: { name: 't5-bad' },
      spec: { images: [{ glob: `${host}/t5/**` }], authorities: [{ key: { data: 'not a key' } }] },
    });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(JSON.stringify(res.body), /spec\.authorities\[0\]\.key\.data/);
  });

  test('the node refuses an unsigned or wrongly signed image (nothing runs) and starts a signed one', async () => {
    const created = await server.api('POST', '/apis/policy.lantern.dev/v1alpha1/clusterimagepolicies', {
      apiVersion: 'policy.lantern.dev/v1alpha1', kind: 'ClusterImagePolicy', metadata: { name: 't5-policy' },
      spec: { images: [{ glob: `${host}/t5/**` }], authorities: [{ name: 'release', key: { data: readFileSync(path.join(dir, 'cosign.pub'), 'utf8') } }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (const [name, image] of [['t5-unsigned', ref('unsigned')], ['t5-other', ref('other-key')], ['t5-signed', ref('signed')]] as const) {
      const r = await server.api('POST', '/api/v1/namespaces/default/pods', pod(name, image));
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const waitingOf = async (name: string): Promise<{ reason?: string; message?: string } | undefined> =>
      (await server.api<Pod>('GET', `/api/v1/namespaces/default/pods/${name}`)).body.status?.containerStatuses?.[0]?.state?.waiting;
    const unsigned = await server.until('t5-unsigned waits in ImageVerificationFailed', async () => { const w = await waitingOf('t5-unsigned'); return w?.reason === 'ImageVerificationFailed' ? w : undefined; }, 90_000);
    assert.match(unsigned.message ?? '', /no signatures found for .*t5\/unsigned@sha256:[0-9a-f]{64}.*ClusterImagePolicy "t5-policy"/);
    const other = await server.until('t5-other waits in ImageVerificationFailed', async () => { const w = await waitingOf('t5-other'); return w?.reason === 'ImageVerificationFailed' ? w : undefined; }, 90_000);
    assert.match(other.message ?? '', /signature mismatch/);
    await server.until('t5-signed runs', async () => (await server.api<Pod>('GET', '/api/v1/namespaces/default/pods/t5-signed')).body.status?.phase === 'Running', 90_000);
    // describe pod shows the refusal as a Warning event of the pod.
    const events = (await server.api<EventList>('GET', '/api/v1/namespaces/default/events')).body.items.filter((e) => e.involvedObject?.name === 't5-unsigned');
    assert.ok(events.some((e) => e.reason === 'ImageVerificationFailed' && /t5-policy/.test(e.message ?? '')), JSON.stringify(events));
    const described = await cli.ok(['describe', 'pod', 't5-unsigned']);
    assert.match(described, /ImageVerificationFailed/);
    // Nothing of the refused pods ran.
    const refused = (await server.api<Pod>('GET', '/api/v1/namespaces/default/pods/t5-unsigned')).body.status?.containerStatuses?.[0]?.state;
    assert.equal(refused?.running, undefined);
    assert.equal(refused?.terminated, undefined);
    assert.equal((await cli.run(['logs', 't5-unsigned'])).stdout.includes('t5-ran'), false);
  });
});
