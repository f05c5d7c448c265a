import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, busyboxArchive, lcctlBin } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { PrivateDocker } from './harness/dockerd.js';
import { tarDir, writeOciArchive } from '../src/image/fixtures.js';

/** The image ID Docker shows: the config digest named by the archive's manifest.json. */
function configDigest(archive: string): string {
  const m = JSON.parse(spawnSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }).stdout) as { Config: string }[];
  return `sha256:${m[0]!.Config.split('/').at(-1)!}`;
}

describe('lcctl save, image inspect and image prune', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const docker = new PrivateDocker();
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-image-save-'));
  const saved = path.join(dir, 'saved.tar');
  const store = (): string => path.join(server.dataDir, 'agent/images');
  const blobs = (): string[] => readdirSync(path.join(store(), 'blobs/sha256'));
  const busyboxId = configDigest(busyboxArchive());

  /** A small image of its own (one layer with one file), as an OCI archive named NAME. */
  async function smallImage(name: string, text: string): Promise<{ file: string; id: string; diffId: string; manifest: string }> {
    const root = path.join(dir, `${text}-root`);
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    writeFileSync(path.join(root, 'etc', 'note.txt'), text);
    await tarDir(root, path.join(dir, `${text}-layer.tar`));
    const file = path.join(dir, `${text}.tar`);
    const [w] = await writeOciArchive(file, [{ name, layers: [path.join(dir, `${text}-layer.tar`)], cmd: ['sh'] }], dir);
    return { file, id: w!.configDigest, diffId: w!.diffIds[0]!, manifest: w!.manifestDigest };
  }

  before(async () => {
    await server.start();
    await cli.importBusybox();
    await cli.ok(['tag', 'busybox', 'busybox:saved']);
  });
  after(async () => {
    await cli.run(['rm', '-f', 'from-saved', 'keeper']);
    await docker.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('image inspect prints Docker\'s fields; -f fills a template; a missing image is exit 1', async () => {
    const [img] = JSON.parse(await cli.ok(['image', 'inspect', 'busybox'])) as Array<Record<string, unknown>>;
    assert.ok(img);
    assert.equal(img.Id, busyboxId);
    assert.deepEqual((img.RepoTags as string[]).sort(), ['busybox:latest', 'busybox:saved']);
    assert.equal(img.Os, 'linux');
    assert.equal(typeof img.Architecture, 'string');
    assert.match(String(img.Created), /^\d{4}-\d\d-\d\dT/);
    const rootfs = img.RootFS as { Type: string; Layers: string[] };
    assert.equal(rootfs.Type, 'layers');
    assert.equal(rootfs.Layers.length, 1);
    assert.ok((img.Size as number) > 100_000);
    assert.ok('Cmd' in (img.Config as object) && 'Env' in (img.Config as object));
    assert.equal(await cli.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox:saved']), `${busyboxId}\n`);
    const missing = await cli.expect(1, ['image', 'inspect', 'busybox', 'nope:1']);
    assert.match(missing.stderr, /^Error: No such image: nope:1$/m);
    assert.equal((JSON.parse(missing.stdout) as unknown[]).length, 1, 'the image that exists is still printed');
    assert.equal(await cli.ok(['inspect', '-f', '{{.Id}}', 'busybox']), `${busyboxId}\n`, 'lcctl inspect falls back to images');
  });

  test('save -o writes one archive with both tags; rm + import brings it back and it runs', async () => {
    assert.equal(await cli.ok(['save', '-o', saved, 'busybox', 'busybox:saved']), '');
    const manifest = JSON.parse(spawnSync('tar', ['-xOf', saved, 'manifest.json'], { encoding: 'utf8' }).stdout) as { RepoTags: string[] }[];
    assert.deepEqual(manifest.map((m) => m.RepoTags), [['busybox:latest', 'busybox:saved']]);
    const members = spawnSync('tar', ['-tf', saved], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(members.includes('index.json') && members.includes('oci-layout'), members.join(' '));

    await cli.ok(['image', 'rm', 'busybox:latest']);
    await cli.ok(['image', 'rm', 'busybox:saved']);
    assert.doesNotMatch(await cli.ok(['images']), /^busybox\s/m);
    const loaded = await cli.ok(['image', 'import', saved]);
    assert.match(loaded, /^Loaded image: busybox:latest$/m);
    assert.match(loaded, /^Loaded image: busybox:saved$/m);
    assert.equal(await cli.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox:saved']), `${busyboxId}\n`);
    assert.equal((await cli.expect(0, ['run', '--rm', '--name', 'from-saved', 'busybox:saved', 'echo', 'hi'])).stdout, 'hi\n');
  });

  test('save without -o streams the archive to stdout; an unknown image fails before writing', async () => {
    const piped = spawnSync('sh', ['-c', `"${lcctlBin}" save busybox | tar -tf - manifest.json`], { encoding: 'utf8', env: { ...process.env, LANTERN_CONFIG: server.configFile } });
    assert.equal(piped.stdout, 'manifest.json\n', piped.stderr);
    const bad = path.join(dir, 'bad.tar');
    const r = await cli.run(['save', '-o', bad, 'busybox', 'nope:1']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /No such image: nope:1/);
    assert.equal(existsSync(bad), false, 'no file is left behind');
  });

  test('docker load reads the archive and docker run runs the image', async () => {
    await docker.start();
    const out = docker.must(['load', '-i', saved]);
    assert.match(out, /Loaded image: busybox:saved/);
    assert.equal(docker.must(['image', 'inspect', '-f', '{{.Id}}', 'busybox:saved']).trim(), busyboxId, 'docker sees the same image ID');
    assert.equal(docker.must(['run', '--rm', '--network', 'none', 'busybox:saved', 'echo', 'hi']), 'hi\n');
  });

  test('image prune removes a dangling image with its blobs and layers; -a keeps the image a running pod uses', async () => {
    const dangling = await smallImage('docker.io/library/dangle:1', 'dangle');
    await cli.ok(['image', 'import', dangling.file]);
    await cli.ok(['tag', 'busybox', 'dangle:1']); // the name moves: the small image is left without one
    const unused = await smallImage('docker.io/library/unused:1', 'unused');
    await cli.ok(['image', 'import', unused.file]);
    await cli.ok(['run', '-d', '--name', 'keeper', 'busybox', 'sleep', '300']);

    const refused = await cli.run(['image', 'prune'], '');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /-f/);

    const pruned = await cli.ok(['image', 'prune', '-f']);
    assert.match(pruned, new RegExp(`^Deleted Images:\ndeleted: ${dangling.id}\n\nTotal reclaimed space: \\d+(\\.\\d+)?[kM]?B\n$`));
    for (const d of [dangling.id, dangling.manifest]) assert.ok(!blobs().includes(d.slice(7)), `blob ${d} is gone`);
    assert.equal(existsSync(path.join(store(), 'snapshots', dangling.diffId.slice(7))), false, 'its layer is gone');
    assert.match(await cli.ok(['images']), /^unused\s+1\s/m, 'a named image is no dangling one');

    const all = await cli.ok(['image', 'prune', '-a', '-f']);
    assert.match(all, /^untagged: unused:1$/m);
    assert.match(all, new RegExp(`^deleted: ${unused.id}$`, 'm'));
    assert.doesNotMatch(all, new RegExp(busyboxId));
    assert.equal(existsSync(path.join(store(), 'snapshots', unused.diffId.slice(7))), false);
    assert.ok(blobs().includes(busyboxId.slice(7)), 'busybox, which keeper runs, stays');
    assert.match(await cli.ok(['images']), /^busybox\s+latest\s/m);
    assert.equal((await cli.ok(['exec', 'keeper', 'echo', 'still'])), 'still\n', 'its container still works');
    assert.equal(await cli.ok(['image', 'prune', '-f']), 'Total reclaimed space: 0B\n');
  });
});
