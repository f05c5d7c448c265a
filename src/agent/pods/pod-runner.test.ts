import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { AgentContext } from '../context.js';
import type { ContainerRuntime } from '../../runtime/types.js';
import { defaultBackoff } from '../restart-policy.js';
import type { HookResult, PodHook } from './pod-hook.js';
import { PodRunner } from './pod-runner.js';
import { podHooks, type HookKit } from './hooks.js';
import { eventually } from '../../testing/eventually.js';

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
/** Just what a runner that never gets to create a container calls. */
const ctx = {
  runtime: { list: async () => [], stop: async () => undefined, remove: async () => undefined, inspect: async () => undefined } as unknown as ContainerRuntime,
  api: { delete: async () => pod },
  backoff: defaultBackoff,
  log: () => undefined,
} as unknown as AgentContext;

/** A hook that records each point it is called at; `hold` makes its prestartContainer wait. */
function recorder(name: string, calls: string[], hold = false): PodHook {
  const rec = (point: string) => async (): Promise<undefined> => { calls.push(`${point} ${name}`); return undefined; };
  return {
    name,
    prestart: rec('prestart'),
    prestartContainer: async (): Promise<HookResult> => {
      calls.push(`prestartContainer ${name}`);
      return hold ? { retryInMs: 60_000, waiting: { reason: 'Held', message: `held by ${name}` } } : undefined;
    },
    update: rec('update'), prekill: rec('prekill'), killed: rec('killed'), poststop: rec('poststop'),
  };
}

describe('the pod runner runs its hooks in their declared order', () => {
  test('prestart, then prestartContainer down the list until one holds the container, then update; teardown: prekill, killed, poststop in reverse', async () => {
    const calls: string[] = [];
    const runner = new PodRunner(ctx, pod, () => [recorder('a', calls), recorder('b', calls, true), recorder('c', calls)]);
    await runner.request();
    assert.deepEqual(calls, ['prestart a', 'prestart b', 'prestart c', 'prestartContainer a', 'prestartContainer b', 'update a', 'update b', 'update c']);
    assert.deepEqual(runner.slots.get('c')?.waiting, { reason: 'Held', message: 'held by b' });
    calls.length = 0;
    await runner.deleted();
    assert.deepEqual(calls, ['prekill a', 'prekill b', 'prekill c', 'killed a', 'killed b', 'killed c', 'poststop c', 'poststop b', 'poststop a']);
    assert.equal(runner.terminated, true);
  });

  test('a teardown whose look for left-behind instances fails still runs every poststop (the pod\'s network and volumes are freed)', async () => {
    const calls: string[] = [];
    const failingList = { ...ctx, runtime: { ...ctx.runtime, list: async () => { throw Object.assign(new Error('ENOENT: a container directory went away'), { code: 'ENOENT' }); } } } as unknown as AgentContext;
    const runner = new PodRunner(failingList, pod, () => [recorder('network', calls), recorder('volumes', calls)]);
    await runner.request();
    calls.length = 0;
    await runner.deleted();
    assert.deepEqual(calls.filter((c) => c.startsWith('poststop')), ['poststop volumes', 'poststop network']);
  });

  test('every pod gets network, user-networks, volumes, runtime-class, image, image-policy, devices, config, service-account-token, gang, dns, probes, status, in that order', () => {
    const kit = { ctx: { ...ctx, volumes: { podDir: () => '/nonexistent', namedVolume: () => '/nonexistent' } }, devices: [] } as unknown as HookKit;
    const run = new PodRunner(ctx, pod, () => []);
    assert.deepEqual(podHooks(kit, run).map((h) => h.name), ['network', 'user-networks', 'volumes', 'runtime-class', 'image', 'image-policy', 'devices', 'config', 'service-account-token', 'gang', 'dns', 'probes', 'status']);
  });
  test('later() keeps the earliest wake-up: a hook asking for an hour from now does not push back one due sooner', async () => {
    let syncs = 0;
    const holder: { runner?: PodRunner } = {};
    const hook: PodHook = {
      name: 'timers',
      // Held every time, so each sync ends in prestartContainer; the first asks for 50 ms, then for an hour.
      prestartContainer: async (): Promise<HookResult> => { syncs++; return { retryInMs: syncs === 1 ? 50 : 3_600_000, waiting: { reason: 'Held', message: 'held' } }; },
      update: async (): Promise<void> => { holder.runner?.later(3_600_000); },
    };
    const runner = new PodRunner(ctx, pod, () => [hook]);
    holder.runner = runner;
    await runner.request();
    assert.equal(syncs, 1);
    await eventually('a second sync after the 50 ms wake-up', async () => syncs >= 2, { timeoutMs: 10_000 });
    await runner.deleted();
  });
});
