import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pod } from '../../../api/pod.js';
import type { ApiClient } from '../../../client/types.js';
import { ApiError } from '../../../api/errors.js';
import type { ContainerPlan, PodRun } from '../pod-hook.js';
import { ServiceAccountTokenHook, serviceAccountMountPath } from './service-account-token.js';

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u1' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } } as Pod);
const plan = (p: Pod): ContainerPlan => ({ container: p.spec.containers[0]!, extraMounts: [], mounts: [], layers: [], extraEnv: {} } as unknown as ContainerPlan);

/** A node's HTTP client that answers TokenRequests with numbered tokens and records what was asked. */
function fakeApi(): { api: ApiClient; asked: { path: string; body: unknown }[] } {
  const asked: { path: string; body: unknown }[] = [];
  const api = {
    config: { ca: 'CA PEM' },
    json: async (_m: string, p: string, body: unknown) => {
      asked.push({ path: p, body });
      return { status: { token: `token-${asked.length}`, expirationTimestamp: new Date(clock + 3600_000).toISOString() } };
    },
  } as unknown as ApiClient;
  return { api, asked };
}
let clock = 1_000_000;

test('a pod gets its bound ServiceAccount token, CA and namespace at the Kubernetes path, renewed at 80% of its life', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-t1-satoken-'));
  try {
    const { api, asked } = fakeApi();
    const hook = new ServiceAccountTokenHook(api, (uid) => path.join(dir, uid), () => clock);
    const later: number[] = [];
    const p = pod({ serviceAccountName: 'builder' });
    const run = { pod: p, uid: 'u1', later: (ms: number) => later.push(ms), log: () => undefined } as unknown as PodRun;
    const pl = plan(p);
    assert.equal(await hook.prestartContainer(run, pl), undefined);
    assert.equal(asked[0]!.path, '/api/v1/namespaces/shop/serviceaccounts/builder/token');
    assert.deepEqual((asked[0]!.body as { spec: { boundObjectRef: unknown } }).spec.boundObjectRef, { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'u1' });
    assert.deepEqual(pl.extraMounts, [{ destination: serviceAccountMountPath, source: path.join(dir, 'u1', 'serviceaccount'), type: 'bind', readOnly: true, options: ['rbind', 'ro'] }]);
    const file = (n: string): string => readFileSync(path.join(dir, 'u1', 'serviceaccount', n), 'utf8');
    assert.deepEqual([file('token'), file('namespace'), file('ca.crt')], ['token-1', 'shop', 'CA PEM']);
    assert.equal(later.at(-1), 0.8 * 3600_000);
    await hook.update(run); // not yet due
    assert.equal(asked.length, 1);
    clock += 0.8 * 3600_000;
    await hook.update(run);
    assert.equal(file('token'), 'token-2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('automountServiceAccountToken: false mounts nothing and asks for nothing', async () => {
  const { api, asked } = fakeApi();
  const hook = new ServiceAccountTokenHook(api, () => '/nonexistent');
  const p = pod({ automountServiceAccountToken: false });
  const pl = plan(p);
  await hook.prestartContainer({ pod: p, uid: 'u1' } as unknown as PodRun, pl);
  assert.deepEqual([asked.length, pl.extraMounts.length], [0, 0]);
});

test('edge autonomy: after a reboot with no server reachable the pod starts with the token it was last given; with none it waits', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-satoken-offline-'));
  try {
    const { api } = fakeApi();
    const p = pod();
    const run = { pod: p, uid: 'u1', later: () => undefined, log: () => undefined } as unknown as PodRun;
    await new ServiceAccountTokenHook(api, (uid) => path.join(dir, uid), () => clock).prestartContainer(run, plan(p));
    const unreachable = { config: { ca: 'CA PEM' }, json: async () => { throw new ApiError('Unavailable', 'request to https://server failed: connect EHOSTUNREACH'); } } as unknown as ApiClient;
    const pl = plan(p);
    assert.equal(await new ServiceAccountTokenHook(unreachable, (uid) => path.join(dir, uid), () => clock).prestartContainer(run, pl), undefined);
    assert.equal(pl.extraMounts.length, 1, 'the kept token is mounted');
    assert.equal(readFileSync(path.join(dir, 'u1', 'serviceaccount', 'token'), 'utf8'), 'token-1');
    const fresh = { ...run, uid: 'u2' } as unknown as PodRun;
    const waiting = await new ServiceAccountTokenHook(unreachable, (uid) => path.join(dir, uid), () => clock).prestartContainer(fresh, plan(p));
    assert.equal(waiting?.waiting?.reason, 'CreateContainerConfigError', 'a pod that never had a token does not start without one');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
