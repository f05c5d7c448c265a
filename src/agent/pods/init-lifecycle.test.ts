import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Container, Pod } from '../../api/pod.js';
import type { AgentContext } from '../context.js';
import type { ContainerConfig, ContainerInfo, ContainerRuntime, ExecSession } from '../../runtime/types.js';
import type { ImageRecord } from '../../image/types.js';
import { Labels } from '../container/container-config.js';
import { kubeStatus } from '../../api/printers/pod-status.js';
import type { PodHook } from './pod-hook.js';
import { PodRunner } from './pod-runner.js';
import { computePodStatus } from './pod-status.js';

/** A runtime in memory: instances by id, what happened to them in order, and a hand to end them. */
class FakeRuntime {
  readonly log: string[] = [];
  private readonly byId = new Map<string, ContainerInfo>();
  private nameOf = (id: string): string => this.byId.get(id)?.labels[Labels.container] ?? id;
  readonly runtime = {
    create: async (c: ContainerConfig): Promise<ContainerInfo> => { const i: ContainerInfo = { id: c.id, status: 'created', labels: c.labels, logPath: '/dev/null' }; this.byId.set(c.id, i); return { ...i }; },
    start: async (id: string): Promise<void> => { this.log.push(`start ${this.nameOf(id)}`); Object.assign(this.byId.get(id)!, { status: 'running', startedAt: new Date().toISOString() }); },
    inspect: async (id: string): Promise<ContainerInfo | undefined> => { const i = this.byId.get(id); return i ? { ...i } : undefined; },
    stop: async (id: string, grace: number): Promise<void> => {
      const i = this.byId.get(id)!;
      if (i.status !== 'running') return;
      this.log.push(`stop ${this.nameOf(id)} grace=${grace}`);
      Object.assign(i, { status: 'stopped', exitCode: 143, finishedAt: new Date().toISOString() });
    },
    remove: async (id: string): Promise<void> => { this.byId.delete(id); },
    list: async (): Promise<ContainerInfo[]> => [...this.byId.values()],
    exec: async (id: string, opts: { cmd: string[] }): Promise<ExecSession> => {
      this.log.push(`exec ${this.nameOf(id)} ${opts.cmd.join(' ')}`);
      const stdout = new PassThrough();
      stdout.end(opts.cmd.includes('fail') ? 'it failed' : '');
      return { stdout, stderr: new PassThrough().end(), exit: Promise.resolve(opts.cmd.includes('fail') ? 1 : 0), kill: () => undefined } as unknown as ExecSession;
    },
  } as unknown as ContainerRuntime;

  /** The running instance of a container ends with code. */
  exit(name: string, code: number): void {
    for (const i of this.byId.values()) if (i.labels[Labels.container] === name && i.status === 'running') Object.assign(i, { status: 'stopped', exitCode: code, finishedAt: new Date().toISOString() });
  }
}

/** Gives every container an image and the host's network, as the real hooks would. */
const planHook: PodHook = {
  name: 'plan',
  prestart: async (run) => { run.net.netns = 'host'; return undefined; },
  prestartContainer: async (_run, plan) => { plan.image = { config: {} } as unknown as ImageRecord; return undefined; },
};

function setup(spec: Partial<Pod['spec']>): { fake: FakeRuntime; runner: PodRunner; events: string[]; status: () => ReturnType<typeof computePodStatus> } {
  const fake = new FakeRuntime();
  const events: string[] = [];
  const ctx = {
    runtime: fake.runtime,
    api: { delete: async () => undefined, create: async (_r: string, e: { reason: string; message: string }) => { events.push(`${e.reason}: ${e.message}`); return e; } },
    backoff: { initialMs: 0, maxMs: 0, resetAfterMs: 600_000 },
    log: () => undefined,
  } as unknown as AgentContext;
  const cmd = (c: Container): Container => ({ command: ['sleep', '1000'], ...c });
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, securityContext: { runAsUser: 0, runAsGroup: 0 }, ...spec, containers: (spec.containers ?? []).map(cmd), initContainers: spec.initContainers?.map(cmd) },
  };
  const runner = new PodRunner(ctx, pod, () => [planHook]);
  return { fake, runner, events, status: () => computePodStatus(runner.pod, runner.slots, {}) };
}

describe('init containers', () => {
  test('run one at a time in order, each to a successful exit, before the app containers', async () => {
    const { fake, runner, status } = setup({ initContainers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i' }], containers: [{ name: 'app', image: 'i' }] });
    await runner.request();
    assert.deepEqual(fake.log, ['start a']);
    assert.equal(kubeStatus({ ...runner.pod, status: status() }), 'Init:0/2');
    assert.equal(status().conditions?.find((c) => c.type === 'Initialized')?.status, 'False');
    assert.equal(status().containerStatuses?.[0]?.state.waiting?.reason, 'PodInitializing');
    await runner.request();
    assert.deepEqual(fake.log, ['start a'], 'a running init container is waited for');
    fake.exit('a', 0);
    await runner.request();
    assert.deepEqual(fake.log, ['start a', 'start b']);
    assert.equal(kubeStatus({ ...runner.pod, status: status() }), 'Init:1/2');
    fake.exit('b', 0);
    await runner.request();
    assert.deepEqual(fake.log, ['start a', 'start b', 'start app']);
    const s = status();
    assert.equal(s.phase, 'Running');
    assert.deepEqual(s.initContainerStatuses?.map((c) => c.state.terminated?.reason), ['Completed', 'Completed']);
    assert.equal(kubeStatus({ ...runner.pod, status: s }), 'Running');
    await runner.request();
    assert.deepEqual(fake.log, ['start a', 'start b', 'start app'], 'init containers do not run again once the pod is initialized');
  });

  test('a failing init container under restartPolicy Never fails the pod: Init:Error, and no app container starts', async () => {
    const { fake, runner, status } = setup({ restartPolicy: 'Never', initContainers: [{ name: 'a', image: 'i' }], containers: [{ name: 'app', image: 'i' }] });
    await runner.request();
    fake.exit('a', 3);
    await runner.request();
    await runner.request();
    assert.deepEqual(fake.log, ['start a']);
    const s = status();
    assert.equal(s.phase, 'Failed');
    assert.equal(kubeStatus({ ...runner.pod, status: s }), 'Init:Error');
  });

  test('a failing init container under restartPolicy Always is retried (OnFailure) until it succeeds', async () => {
    const { fake, runner } = setup({ initContainers: [{ name: 'a', image: 'i' }], containers: [{ name: 'app', image: 'i' }] });
    await runner.request();
    fake.exit('a', 1);
    await runner.request();
    assert.deepEqual(fake.log, ['start a', 'start a']);
    fake.exit('a', 0);
    await runner.request();
    assert.deepEqual(fake.log, ['start a', 'start a', 'start app']);
  });
});

describe('native sidecars', () => {
  test('start in order without being waited for, restart when they die, and stop after the app containers of a Job pod', async () => {
    const { fake, runner, status } = setup({ restartPolicy: 'Never', initContainers: [{ name: 'side', image: 'i', restartPolicy: 'Always' }, { name: 'a', image: 'i' }], containers: [{ name: 'app', image: 'i' }] });
    await runner.request();
    assert.deepEqual(fake.log, ['start side']);
    await runner.request();
    assert.deepEqual(fake.log, ['start side', 'start a']);
    fake.exit('a', 0);
    await runner.request();
    assert.deepEqual(fake.log, ['start side', 'start a', 'start app']);
    fake.exit('side', 1);
    await runner.request();
    assert.deepEqual(fake.log.slice(3), ['start side'], 'a sidecar restarts even under restartPolicy Never');
    fake.exit('app', 0);
    await runner.request();
    assert.deepEqual(fake.log.slice(4), ['stop side grace=30'], 'the sidecar is stopped once the app containers are done');
    await runner.request();
    assert.equal(fake.log.length, 5, 'a stopped sidecar of a finished pod is not restarted');
    assert.equal(status().phase, 'Succeeded');
  });

  test('a teardown stops the app containers before the sidecars', async () => {
    const { fake, runner } = setup({ initContainers: [{ name: 's1', image: 'i', restartPolicy: 'Always' }, { name: 's2', image: 'i', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'i' }] });
    for (let i = 0; i < 3; i++) await runner.request();
    assert.deepEqual(fake.log, ['start s1', 'start s2', 'start app']);
    runner.pod = { ...runner.pod, metadata: { ...runner.pod.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 7 } };
    await runner.request();
    assert.deepEqual(fake.log.slice(3), ['stop app grace=7', 'stop s2 grace=7', 'stop s1 grace=7']);
  });
});

describe('lifecycle hooks', () => {
  test('preStop runs before the stop signal, and the stop gets the grace period', async () => {
    const { fake, runner } = setup({ terminationGracePeriodSeconds: 20, containers: [{ name: 'app', image: 'i', lifecycle: { preStop: { exec: { command: ['touch', '/tmp/bye'] } } } }] });
    await runner.request();
    runner.pod = { ...runner.pod, metadata: { ...runner.pod.metadata, deletionTimestamp: new Date().toISOString() } };
    await runner.request();
    assert.deepEqual(fake.log, ['start app', 'exec app touch /tmp/bye', 'stop app grace=20']);
  });

  test('postStart runs after the start; when it fails the container is killed with a FailedPostStartHook event and restarted per the policy', async () => {
    const { fake, runner, events } = setup({ containers: [{ name: 'app', image: 'i', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'fail'] } } } }] });
    await runner.request();
    assert.deepEqual(fake.log, ['start app', 'exec app sh -c fail', 'stop app grace=0']);
    assert.match(events.join('\n'), /^FailedPostStartHook: PostStartHook failed for container app: /m);
    assert.equal(runner.slots.get('app')?.current?.status, 'stopped');
  });
});
