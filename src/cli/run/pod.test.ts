import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { parseArgs } from '../args.js';
import { runSpec } from './flags.js';
import { buildRunPod, type RunEnv } from './pod.js';

const env: RunEnv = {
  env: { HOME_VAR: 'from-home', EMPTY: '' },
  cwd: '/work/dir',
  readFile: (path) => {
    if (path === 'vars.env') return '# comment\nFILE_A=1\n\nFILE_B=two words\nHOME_VAR\n';
    throw new Error(`ENOENT: no such file ${path}`);
  },
  generateName: () => 'eager-turing',
};

const build = (...argv: string[]): Pod => buildRunPod(parseArgs(runSpec, argv), env);
const c0 = (pod: Pod) => pod.spec.containers[0]!;

describe('run flags -> Pod', () => {
  test('defaults: generated name, one container named like the pod, Never, grace 10, IfNotPresent, docker-run annotation', () => {
    const pod = build('busybox');
    assert.equal(pod.metadata.name, 'eager-turing');
    assert.equal(pod.metadata.namespace, 'default');
    assert.deepEqual(pod.metadata.annotations, { 'lantern.dev/docker-run': 'true' });
    assert.equal(pod.spec.restartPolicy, 'Never');
    assert.equal(pod.spec.terminationGracePeriodSeconds, 10);
    assert.deepEqual(pod.spec.containers, [{ name: 'eager-turing', image: 'busybox', imagePullPolicy: 'IfNotPresent', securityContext: { allowPrivilegeEscalation: true } }]);
  });

  const cases: { argv: string[]; check: (pod: Pod) => void; what: string }[] = [
    { what: '--name; dots become dashes in the container name', argv: ['--name', 'web.v1', 'nginx'], check: (p) => { assert.equal(p.metadata.name, 'web.v1'); assert.equal(c0(p).name, 'web-v1'); } },
    { what: 'long names are cut to 63 for the container', argv: ['--name', 'a'.repeat(70), 'x'], check: (p) => assert.equal(c0(p).name.length, 63) },
    { what: 'CMD overrides the image Cmd (args), Entrypoint kept', argv: ['busybox', 'echo', 'hi', '-n'], check: (p) => { assert.deepEqual(c0(p).args, ['echo', 'hi', '-n']); assert.equal(c0(p).command, undefined); } },
    { what: '--entrypoint sets command, CMD becomes args', argv: ['--entrypoint', '/bin/sh', 'busybox', '-c', 'true'], check: (p) => { assert.deepEqual(c0(p).command, ['/bin/sh']); assert.deepEqual(c0(p).args, ['-c', 'true']); } },
    { what: '--entrypoint "" runs CMD alone', argv: ['--entrypoint=', 'busybox', 'ls'], check: (p) => { assert.deepEqual(c0(p).command, ['ls']); assert.equal(c0(p).args, undefined); } },
    { what: '-d --rm', argv: ['-d', '--rm', 'x'], check: (p) => assert.equal(p.metadata.annotations?.['lantern.dev/auto-remove'], 'true') },
    { what: '--rm in the foreground (lcctl removes it after reading the output)', argv: ['--rm', 'x'], check: (p) => assert.equal(p.metadata.annotations?.['lantern.dev/auto-remove'], undefined) },
    { what: '--restart no', argv: ['--restart', 'no', 'x'], check: (p) => { assert.equal(p.spec.restartPolicy, 'Never'); assert.equal(p.metadata.annotations?.['lantern.dev/docker-restart'], 'no'); } },
    { what: '--restart always', argv: ['--restart=always', 'x'], check: (p) => assert.equal(p.spec.restartPolicy, 'Always') },
    { what: '--restart unless-stopped', argv: ['--restart=unless-stopped', 'x'], check: (p) => { assert.equal(p.spec.restartPolicy, 'Always'); assert.equal(p.metadata.annotations?.['lantern.dev/docker-restart'], 'unless-stopped'); } },
    { what: '--restart on-failure', argv: ['--restart', 'on-failure', 'x'], check: (p) => { assert.equal(p.spec.restartPolicy, 'OnFailure'); assert.equal(p.metadata.annotations?.['lantern.dev/max-restarts'], undefined); } },
    { what: '--restart on-failure:3', argv: ['--restart', 'on-failure:3', 'x'], check: (p) => { assert.equal(p.spec.restartPolicy, 'OnFailure'); assert.equal(p.metadata.annotations?.['lantern.dev/max-restarts'], '3'); } },
    { what: '--pids-limit', argv: ['--pids-limit', '64', 'x'], check: (p) => assert.equal(p.metadata.annotations?.['lantern.dev/pids-limit'], '64') },
    { what: '-e K=V, -e K from the local env (unset ones skipped), --env-file', argv: ['--env-file', 'vars.env', '-e', 'A=1', '-e', 'HOME_VAR', '-e', 'UNSET_VAR', '-e', 'EQ=a=b', 'x'], check: (p) => assert.deepEqual(c0(p).env, [
      { name: 'FILE_A', value: '1' }, { name: 'FILE_B', value: 'two words' }, { name: 'A', value: '1' }, { name: 'HOME_VAR', value: 'from-home' }, { name: 'EQ', value: 'a=b' },
    ]) },
    { what: '-w', argv: ['-w', '/srv', 'x'], check: (p) => assert.equal(c0(p).workingDir, '/srv') },
    { what: '-u uid', argv: ['-u', '1000', 'x'], check: (p) => assert.deepEqual(c0(p).securityContext, { runAsUser: 1000, allowPrivilegeEscalation: true }) },
    { what: '-u uid:gid', argv: ['-u', '1000:2000', 'x'], check: (p) => assert.deepEqual(c0(p).securityContext, { runAsUser: 1000, runAsGroup: 2000, allowPrivilegeEscalation: true }) },
    { what: '-l labels', argv: ['-l', 'app=web', '--label', 'tier=front', 'x'], check: (p) => assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'front' }) },
    { what: '--cpus 0.5', argv: ['--cpus', '0.5', 'x'], check: (p) => assert.deepEqual(c0(p).resources, { limits: { cpu: '500m' } }) },
    { what: '--cpus 2', argv: ['--cpus', '2', 'x'], check: (p) => assert.equal(c0(p).resources?.limits?.cpu, '2') },
    { what: '--memory 64m', argv: ['--memory', '64m', 'x'], check: (p) => assert.deepEqual(c0(p).resources, { limits: { memory: '64Mi' } }) },
    { what: '-m 1g', argv: ['-m', '1g', 'x'], check: (p) => assert.equal(c0(p).resources?.limits?.memory, '1Gi') },
    { what: '-m 512k', argv: ['-m', '512k', 'x'], check: (p) => assert.equal(c0(p).resources?.limits?.memory, '512Ki') },
    { what: '-m 1.5g (bytes)', argv: ['-m', '1.5g', 'x'], check: (p) => assert.equal(c0(p).resources?.limits?.memory, String(1.5 * 2 ** 30)) },
    { what: '-m 100 (bytes)', argv: ['-m', '100', 'x'], check: (p) => assert.equal(c0(p).resources?.limits?.memory, '100') },
    { what: '-p host:container', argv: ['-p', '8080:80', 'x'], check: (p) => assert.deepEqual(c0(p).ports, [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }]) },
    { what: '-p ip:host:container/udp', argv: ['-p', '127.0.0.1:5353:53/udp', 'x'], check: (p) => assert.deepEqual(c0(p).ports, [{ containerPort: 53, hostPort: 5353, hostIP: '127.0.0.1', protocol: 'UDP' }]) },
    { what: '-p container only', argv: ['-p', '80', 'x'], check: (p) => assert.deepEqual(c0(p).ports, [{ containerPort: 80, protocol: 'TCP' }]) },
    { what: '-p ranges', argv: ['-p', '8000-8001:80-81', 'x'], check: (p) => assert.deepEqual(c0(p).ports, [{ containerPort: 80, hostPort: 8000, protocol: 'TCP' }, { containerPort: 81, hostPort: 8001, protocol: 'TCP' }]) },
    { what: '-p [::1]:8080:80', argv: ['-p', '[::1]:8080:80', 'x'], check: (p) => assert.deepEqual(c0(p).ports, [{ containerPort: 80, hostPort: 8080, hostIP: '::1', protocol: 'TCP' }]) },
    { what: '-v /host:/ctr:ro is a hostPath volume', argv: ['-v', '/srv/data:/data:ro', 'x'], check: (p) => {
      assert.deepEqual(p.spec.volumes, [{ name: 'vol-0', hostPath: { path: '/srv/data' } }]);
      assert.deepEqual(c0(p).volumeMounts, [{ name: 'vol-0', mountPath: '/data', readOnly: true }]);
    } },
    { what: '-v ./rel:/ctr resolves against the working directory', argv: ['-v', './data:/data', 'x'], check: (p) => assert.deepEqual(p.spec.volumes, [{ name: 'vol-0', hostPath: { path: '/work/dir/data' } }]) },
    { what: '-v NAME:/ctr is a named volume (claim)', argv: ['-v', 'pgdata:/var/lib/pg', 'x'], check: (p) => {
      assert.deepEqual(p.spec.volumes, [{ name: 'vol-pgdata', persistentVolumeClaim: { claimName: 'pgdata' } }]);
      assert.deepEqual(c0(p).volumeMounts, [{ name: 'vol-pgdata', mountPath: '/var/lib/pg' }]);
    } },
    { what: '-v /ctr is an emptyDir', argv: ['-v', '/scratch', 'x'], check: (p) => {
      assert.deepEqual(p.spec.volumes, [{ name: 'vol-0', emptyDir: {} }]);
      assert.deepEqual(c0(p).volumeMounts, [{ name: 'vol-0', mountPath: '/scratch' }]);
    } },
    { what: '--tmpfs', argv: ['--tmpfs', '/run', 'x'], check: (p) => assert.deepEqual(p.spec.volumes, [{ name: 'tmpfs-0', emptyDir: { medium: 'Memory' } }]) },
    { what: '-i and -t', argv: ['-it', 'x'], check: (p) => { assert.equal(c0(p).stdin, true); assert.equal(c0(p).tty, true); } },
    { what: '--read-only', argv: ['--read-only', 'x'], check: (p) => assert.deepEqual(c0(p).securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: true }) },
    { what: '--cap-add/--cap-drop', argv: ['--cap-add', 'NET_ADMIN', '--cap-drop', 'ALL', '--cap-add=SYS_TIME', 'x'], check: (p) => assert.deepEqual(c0(p).securityContext, { capabilities: { add: ['NET_ADMIN', 'SYS_TIME'], drop: ['ALL'] }, allowPrivilegeEscalation: true }) },
    { what: '--privileged', argv: ['--privileged', 'x'], check: (p) => assert.deepEqual(c0(p).securityContext, { privileged: true, allowPrivilegeEscalation: true }) },
    { what: '--network host sets hostNetwork too', argv: ['--network', 'host', 'x'], check: (p) => { assert.equal(p.spec.networkMode, 'host'); assert.equal(p.spec.hostNetwork, true); } },
    { what: '--network none', argv: ['--network=none', 'x'], check: (p) => { assert.equal(p.spec.networkMode, 'none'); assert.equal(p.spec.hostNetwork, undefined); } },
    { what: '--network bridge', argv: ['--net', 'bridge', 'x'], check: (p) => assert.equal(p.spec.networkMode, 'bridge') },
    { what: '--hostname / -h', argv: ['-h', 'box1', 'x'], check: (p) => assert.equal(p.spec.hostname, 'box1') },
    { what: '--stop-timeout', argv: ['--stop-timeout', '30', 'x'], check: (p) => assert.equal(p.spec.terminationGracePeriodSeconds, 30) },
    { what: '--pull always', argv: ['--pull', 'always', 'x'], check: (p) => assert.equal(c0(p).imagePullPolicy, 'Always') },
    { what: '-n namespace', argv: ['-n', 'team-a', 'x'], check: (p) => assert.equal(p.metadata.namespace, 'team-a') },
    { what: 'combined -dit with --rm=false', argv: ['-dit', '--rm=false', 'x', 'sh'], check: (p) => { assert.equal(c0(p).tty, true); assert.equal(p.metadata.annotations?.['lantern.dev/auto-remove'], undefined); assert.deepEqual(c0(p).args, ['sh']); } },
  ];
  for (const c of cases) test(c.what, () => c.check(build(...c.argv)));

  const invalid: { argv: string[]; error: RegExp }[] = [
    { argv: ['--memory', '12q', 'x'], error: /invalid argument "12q" for "-m, --memory" flag: invalid size: '12q'/ },
    { argv: ['-p', '99999:80', 'x'], error: /invalid argument "99999:80" for "-p, --publish" flag: invalid hostPort: 99999/ },
    { argv: ['-p', '80:0', 'x'], error: /invalid containerPort: 0/ },
    { argv: ['-p', '80:80/sctp', 'x'], error: /unsupported protocol "sctp"/ },
    { argv: ['--restart', 'sometimes', 'x'], error: /invalid argument "sometimes" for "--restart" flag: expected no, always, unless-stopped or on-failure/ },
    { argv: ['--rm', '--restart', 'always', 'x'], error: /cannot specify both --restart and --rm/ },
    { argv: ['--cpus', 'lots', 'x'], error: /invalid argument "lots" for "--cpus" flag/ },
    { argv: ['-u', 'nobody', 'x'], error: /invalid argument "nobody" for "-u, --user" flag: Lantern needs a numeric uid/ },
    { argv: ['-v', 'bad name:/x', 'x'], error: /includes invalid characters for a local volume name/ },
    { argv: ['-v', '/a:rel', 'x'], error: /the container path must be absolute/ },
    { argv: ['--network', 'My_Net', 'x'], error: /bridge, host, none or the name of a network/ },
    { argv: ['--env-file', 'missing.env', 'x'], error: /cannot read --env-file missing.env/ },
    { argv: [], error: /requires at least 1 argument/ },
  ];
  for (const c of invalid) test(`rejects ${c.argv.join(' ') || '(no image)'}`, () => assert.throws(() => build(...c.argv), c.error));
});
