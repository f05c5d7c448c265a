import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Annotations } from '../../api/annotations.js';
import { NetworkAnnotations } from '../../api/user-networks.js';
import type { Pod } from '../../api/pod.js';
import { DockerAnnotations, dockerLabels, podFromCreate } from './container-create.js';
import { DOCKER_NAME_ANNOTATION, containerName, podNameFor } from './context.js';
import { matchesFilters, parseFilters } from './filters.js';
import { dockerState, statusText } from './container-state.js';

describe('docker create body -> pod', () => {
  test('image, entrypoint and cmd, env, ports, limits, restart: as lcctl run maps its flags', () => {
    const pod = podFromCreate({
      Image: 'busybox', Entrypoint: ['sh', '-c'], Cmd: ['echo hi'], Env: ['A=1', 'B=x=y'], WorkingDir: '/tmp', User: '1000:1000',
      ExposedPorts: { '80/tcp': {} }, StopTimeout: 3,
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }, Memory: 64 * 1024 * 1024, NanoCpus: 500_000_000, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } },
    }, 'web', 'node-1');
    const c = pod.spec.containers[0]!;
    assert.equal(pod.spec.nodeName, 'node-1');
    assert.deepEqual([c.command, c.args], [['sh', '-c'], ['echo hi']]);
    assert.deepEqual(c.env, [{ name: 'A', value: '1' }, { name: 'B', value: 'x=y' }]);
    assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP', hostPort: 8080 }]);
    assert.deepEqual(c.resources?.limits, { memory: String(64 * 1024 * 1024), cpu: '500m' });
    assert.deepEqual([c.securityContext?.runAsUser, c.securityContext?.runAsGroup, c.workingDir], [1000, 1000, '/tmp']);
    assert.equal(pod.spec.restartPolicy, 'OnFailure');
    assert.equal(pod.spec.terminationGracePeriodSeconds, 3);
    assert.equal(pod.metadata.annotations?.[Annotations.maxRestarts], '2');
    assert.equal(pod.metadata.annotations?.[Annotations.runState], 'stopped', 'created, not started');
  });

  test('an empty Entrypoint resets the image\'s: Cmd alone runs', () => {
    const c = podFromCreate({ Image: 'busybox', Entrypoint: [], Cmd: ['true'] }, 'x', 'n').spec.containers[0]!;
    assert.deepEqual([c.command, c.args], [['true'], undefined]);
  });

  test('--rm: the node removes a detached one; an attached one is removed by the attach', () => {
    const detached = podFromCreate({ Image: 'busybox', HostConfig: { AutoRemove: true } }, 'a', 'n');
    assert.equal(detached.metadata.annotations?.[Annotations.autoRemove], 'true');
    const attached = podFromCreate({ Image: 'busybox', AttachStdout: true, HostConfig: { AutoRemove: true } }, 'b', 'n');
    assert.equal(attached.metadata.annotations?.[Annotations.autoRemove], undefined);
    assert.equal(attached.metadata.annotations?.[DockerAnnotations.autoRemoveAttached], 'true');
    assert.throws(() => podFromCreate({ Image: 'busybox', HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } }, 'c', 'n'), /cannot specify both --restart and --rm/);
  });

  test('compose\'s names, networks and labels: mapped to what Kubernetes accepts, the originals kept', () => {
    const hash = 'a'.repeat(64);
    const pod = podFromCreate({
      Image: 'busybox', Labels: { 'com.docker.compose.project': 'proj', 'com.docker.compose.config-hash': hash },
      HostConfig: { NetworkMode: 'proj_default' }, NetworkingConfig: { EndpointsConfig: { proj_default: { Aliases: ['web'] } } },
    }, 'proj_web_1', 'n');
    assert.equal(pod.metadata.name, 'proj-web-1');
    assert.equal(containerName(pod), 'proj_web_1');
    assert.equal(pod.metadata.annotations?.[DOCKER_NAME_ANNOTATION], 'proj_web_1');
    assert.equal(pod.metadata.annotations?.[NetworkAnnotations.primary], 'proj-default');
    assert.deepEqual(JSON.parse(pod.metadata.annotations?.[NetworkAnnotations.aliases] ?? '{}'), { 'proj-default': ['web'] });
    assert.deepEqual(pod.metadata.labels, { 'com.docker.compose.project': 'proj' }, 'a 64-character value is no pod label');
    assert.equal(dockerLabels(pod)['com.docker.compose.config-hash'], hash);
    assert.ok(matchesFilters(pod, parseFilters(JSON.stringify({ label: ['com.docker.compose.project=proj', `com.docker.compose.config-hash=${hash}`] }))));
    assert.ok(!matchesFilters(pod, parseFilters(JSON.stringify({ label: ['com.docker.compose.project=proj', 'com.docker.compose.oneoff=True'] }))), 'every label filter must hold');
    assert.ok(matchesFilters(pod, parseFilters(JSON.stringify({ name: { proj_web: true } }))), 'the older map form, matched as Docker does (a pattern)');
  });

  test('bad bodies are refused with the field and what is expected', () => {
    assert.throws(() => podFromCreate(null, 'x', 'n'), /must be a JSON object with at least "Image"/);
    assert.throws(() => podFromCreate({ Image: 'b', Cmd: [1] }, 'x', 'n'), /Cmd: expected a list of strings/);
    assert.throws(() => podFromCreate({ Image: 'b', User: 'www-data' }, 'x', 'n'), /User: "www-data": Lantern needs a numeric uid/);
    assert.throws(() => podFromCreate({ Image: 'b', HostConfig: { Binds: ['data'] } }, 'x', 'n'), /HostConfig.Binds\[0\]: "data" is not SOURCE:\/CONTAINER\/PATH/);
    assert.throws(() => podFromCreate({ Image: 'b', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '99999' }] } } }, 'x', 'n'), /HostPort "99999" is not a port number/);
    assert.throws(() => parseFilters('{"bogus":["1"]}'), /invalid filter 'bogus'/);
    assert.equal(podNameFor('-x'), undefined);
    assert.equal(podNameFor('Web.1'), 'web-1');
  });
});

describe('pod status -> Docker state', () => {
  const base = (status: Pod['status'], annotations: Record<string, string> = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec: { containers: [{ name: 'p', image: 'busybox' }] }, status });
  const now = Date.parse('2026-01-01T00:01:00Z');
  test('created, running, exited, restarting and removing read as Docker says them', () => {
    assert.equal(statusText(dockerState(base(undefined, { [Annotations.runState]: 'stopped' })), now), 'Created');
    const running = base({ containerStatuses: [{ name: 'p', ready: true, restartCount: 0, image: 'busybox', state: { running: { startedAt: '2026-01-01T00:00:30Z' } } }] });
    assert.equal(statusText(dockerState(running), now), 'Up 30 seconds');
    const exited = base({ containerStatuses: [{ name: 'p', ready: false, restartCount: 0, image: 'busybox', state: { terminated: { exitCode: 3, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:58Z' } } }] });
    assert.equal(statusText(dockerState(exited), now), 'Exited (3) 2 seconds ago');
    const backoff = base({ containerStatuses: [{ name: 'p', ready: false, restartCount: 1, image: 'busybox', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:00:00Z' } } }] });
    assert.equal(dockerState(backoff).Status, 'restarting');
    assert.equal(dockerState({ ...running, metadata: { ...running.metadata, deletionTimestamp: '2026-01-01T00:00:59Z' } }).Status, 'removing');
  });
});
