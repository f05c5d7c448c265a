/**
 * lcctl volume create|ls|inspect|rm|prune as a Docker user types them, against a real lanternd: a
 * volume is a labelled PersistentVolumeClaim; `-o type=nfs` makes a static nfs PV; a volume in use
 * cannot be removed; `run -v NAME:/path` creates the volume and keeps its data across containers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';

interface InspectView { Name: string; Driver: string; Labels: Record<string, string>; Mountpoint: string; Options: Record<string, string>; Scope: string; CreatedAt: string }

describe('lcctl volume', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); });

  test('create, ls (table, -q, --filter) and inspect in Docker\'s shapes', async () => {
    assert.equal(await cli.ok(['volume', 'create', '--label', 'team=db', 's2-pgdata']), 's2-pgdata\n');
    assert.equal(await cli.ok(['volume', 'create', 's2-other']), 's2-other\n');
    // Docker's create is idempotent for an existing name.
    await cli.expect(0, ['volume', 'create', 's2-other']);
    const table = await cli.ok(['volume', 'ls']);
    assert.match(table, /^DRIVER\s+VOLUME NAME$/m);
    assert.match(table, /^local\s+s2-pgdata$/m);
    assert.deepEqual((await cli.ok(['volume', 'ls', '-q', '--filter', 'label=team=db'])).trim().split('\n'), ['s2-pgdata']);
    const [v] = JSON.parse(await cli.ok(['volume', 'inspect', 's2-pgdata'])) as InspectView[];
    assert.ok(v);
    assert.equal(v.Name, 's2-pgdata');
    assert.equal(v.Driver, 'local');
    assert.deepEqual(v.Labels, { team: 'db' });
    assert.deepEqual(v.Options, {});
    assert.equal(v.Scope, 'local');
    assert.ok(v.CreatedAt !== '');
    // It is a claim: kubectl's view shows the same object.
    assert.match(await cli.ok(['get', 'pvc', 's2-pgdata']), /s2-pgdata/);
    const missing = await cli.run(['volume', 'inspect', 's2-nope']);
    assert.equal(missing.code, 1, explain(server, missing));
    assert.match(missing.stderr, /no such volume/);
  });

  test('-o type=nfs makes a static nfs PersistentVolume bound to the volume, shown by inspect', async () => {
    await cli.expect(0, ['volume', 'create', '-o', 'type=nfs', '-o', 'o=addr=192.0.2.10,rw,port=2050', '-o', 'device=:/exports/media', 's2-media']);
    const [v] = JSON.parse(await cli.ok(['volume', 'inspect', 's2-media'])) as InspectView[];
    assert.equal(v?.Mountpoint, '192.0.2.10:/exports/media');
    assert.equal(v?.Scope, 'global');
    assert.deepEqual(v?.Options, { type: 'nfs', o: 'addr=192.0.2.10,rw,port=2050', device: ':/exports/media' });
    const pv = await server.api<{ spec: { nfs?: { server: string; path: string }; mountOptions?: string[]; persistentVolumeReclaimPolicy?: string } }>('GET', '/api/v1/persistentvolumes/volume-default-s2-media');
    assert.equal(pv.status, 200);
    assert.deepEqual(pv.body.spec.nfs, { server: '192.0.2.10', path: '/exports/media' });
    assert.deepEqual(pv.body.spec.mountOptions, ['port=2050']);
    assert.equal(pv.body.spec.persistentVolumeReclaimPolicy, 'Retain');
    // Removing the volume removes its PV object too (the data on the server is not touched).
    assert.equal(await cli.ok(['volume', 'rm', 's2-media']), 's2-media\n');
    const gone = await server.api('GET', '/api/v1/persistentvolumes/volume-default-s2-media');
    assert.ok(gone.status === 404 || (gone.body as { metadata?: { deletionTimestamp?: string } }).metadata?.deletionTimestamp !== undefined);
  });

  test('bad input: an unknown driver, a bad option, a bad name each give a clear error', async () => {
    const drv = await cli.run(['volume', 'create', '--driver', 's2-no-such-class', 's2-x']);
    assert.notEqual(drv.code, 0);
    assert.match(drv.stderr, /no StorageClass "s2-no-such-class"/);
    const opt = await cli.run(['volume', 'create', '-o', 'type=cifs', 's2-x']);
    assert.notEqual(opt.code, 0);
    assert.match(opt.stderr, /-o type=cifs is not supported/);
    const name = await cli.run(['volume', 'create', 'S2_Bad']);
    assert.notEqual(name.code, 0);
    assert.match(name.stderr, /invalid volume name "S2_Bad"/);
  });

  test('a volume in use cannot be removed: the error names the container; prune keeps it too', async () => {
    // A container (pod) that uses the volume; whether it runs yet does not matter to rm.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 's2-user', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'd', mountPath: '/data' }] }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 's2-pgdata' } }] } };
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', pod)).status, 201);
    const rm = await cli.run(['volume', 'rm', 's2-pgdata']);
    assert.equal(rm.code, 1, explain(server, rm));
    assert.match(rm.stderr, /volume is in use - \[s2-user\]/);
    assert.match(await cli.ok(['volume', 'ls', '--filter', 'dangling=true']), /s2-other/);
    assert.doesNotMatch(await cli.ok(['volume', 'ls', '--filter', 'dangling=true']), /s2-pgdata/);
    const pruned = await cli.ok(['volume', 'prune', '-f']);
    assert.match(pruned, /Deleted Volumes:\ns2-other\n/);
    assert.match(await cli.ok(['volume', 'ls', '-q']), /s2-pgdata/);
    await cli.expect(0, ['rm', '-f', 's2-user']);
    assert.equal(await cli.ok(['volume', 'rm', 's2-pgdata']), 's2-pgdata\n');
    // -f: a volume that is not there is not an error (Docker's rm -f).
    await cli.expect(0, ['volume', 'rm', '-f', 's2-pgdata-gone']);
    assert.equal((await cli.run(['volume', 'rm', 's2-pgdata-gone'])).code, 1);
  });

  test('run -v NAME:/data creates the volume and --mount type=volume finds its data in the next container', async () => {
    await cli.expect(0, ['run', '--rm', '-v', 's2-keep:/data', 'busybox', 'sh', '-c', 'echo kept > /data/k']);
    assert.match(await cli.ok(['volume', 'ls', '-q']), /^s2-keep$/m, 'run -v made the volume');
    const r = await cli.expect(0, ['run', '--rm', '--mount', 'type=volume,source=s2-keep,target=/data,readonly', 'busybox', 'cat', '/data/k']);
    assert.equal(r.stdout, 'kept\n');
  });
});
