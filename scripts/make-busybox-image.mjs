#!/usr/bin/env node
// Builds a one-layer busybox image from the host's /bin/busybox as a single archive that is
// both an OCI image layout (index.json, oci-layout, blobs/sha256) and a `docker save` tar
// (manifest.json), the way Docker 25 writes it. Output is deterministic: fixed mtimes,
// numeric root ownership, sorted entries and `gzip -n`, so the digests are stable per host.
//
// Usage: node scripts/make-busybox-image.mjs [OUTFILE]   (default build/images/busybox.tar)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BUSYBOX = '/bin/busybox';
const EPOCH = '1970-01-01T00:00:00Z';
const NAME = 'docker.io/library/busybox:latest';
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// Node's process.arch -> OCI/GOARCH names.
const ARCH = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };
// Options that make GNU tar output depend only on the file tree.
const TAR_DETERMINISTIC = ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=gnu'];

const out = path.resolve(process.argv[2] ?? 'build/images/busybox.tar');
const architecture = ARCH[process.arch];
if (!architecture) fail(`unsupported CPU architecture ${process.arch}`);
if (!fs.existsSync(BUSYBOX)) fail(`${BUSYBOX} not found; install busybox-static (apt-get install busybox-static)`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'busybox-image-'));
try {
  const rootfs = path.join(work, 'rootfs');
  buildRootfs(rootfs);
  const layout = path.join(work, 'layout');
  fs.mkdirSync(path.join(layout, 'blobs', 'sha256'), { recursive: true });

  const layerTar = path.join(work, 'layer.tar');
  const top = fs.readdirSync(rootfs).sort();
  execFileSync('tar', ['-c', '-f', layerTar, ...TAR_DETERMINISTIC, '-C', rootfs, ...top]);
  const diffId = sha256File(layerTar);
  const layerGz = path.join(work, 'layer.tar.gz');
  execFileSync('sh', ['-c', 'gzip -n -9 -c "$1" > "$2"', 'sh', layerTar, layerGz]);
  const layer = addBlob(layout, fs.readFileSync(layerGz));

  const config = addBlob(layout, json({
    created: EPOCH,
    architecture,
    os: 'linux',
    config: { Env: [PATH_ENV], Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created: EPOCH, created_by: `COPY ${BUSYBOX} /bin/busybox # make-busybox-image.mjs` }],
  }));
  const manifest = addBlob(layout, json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.size }],
  }));
  fs.writeFileSync(path.join(layout, 'index.json'), json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: manifest.digest,
      size: manifest.size,
      annotations: { 'io.containerd.image.name': NAME, 'org.opencontainers.image.ref.name': 'latest' },
    }],
  }));
  fs.writeFileSync(path.join(layout, 'oci-layout'), json({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(path.join(layout, 'manifest.json'), json([{
    Config: blobPath(config.digest),
    RepoTags: ['busybox:latest'],
    Layers: [blobPath(layer.digest)],
  }]));
  for (const f of walk(layout)) fs.chmodSync(f, fs.statSync(f).isDirectory() ? 0o755 : 0o644);

  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmpOut = `${out}.tmp-${process.pid}`;
  execFileSync('tar', ['-c', '-f', tmpOut, ...TAR_DETERMINISTIC, '-C', layout, 'blobs', 'index.json', 'manifest.json', 'oci-layout']);
  fs.renameSync(tmpOut, out);
  process.stdout.write(`${out}\n  image ${NAME} (${architecture})\n  manifest ${manifest.digest}\n  config   ${config.digest}\n  layer    ${layer.digest}\n`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

/** Lays out the container filesystem with explicit modes so the host umask cannot leak in. */
function buildRootfs(root) {
  const dirs = {
    bin: 0o755, sbin: 0o755, usr: 0o755, 'usr/bin': 0o755, 'usr/sbin': 0o755, 'usr/local': 0o755,
    'usr/local/bin': 0o755, etc: 0o755, dev: 0o755, proc: 0o555, sys: 0o555, tmp: 0o1777, root: 0o700,
    home: 0o755, run: 0o755, var: 0o755, 'var/www': 0o755, 'var/log': 0o755, 'var/run': 0o755,
    'var/spool': 0o755, 'var/tmp': 0o1777, mnt: 0o755,
  };
  for (const dir of Object.keys(dirs)) fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.copyFileSync(BUSYBOX, path.join(root, 'bin/busybox'));
  const applets = execFileSync(BUSYBOX, ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) {
    if (applet === 'bin/busybox') continue;
    const dest = path.join(root, applet);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (!fs.existsSync(dest)) fs.symlinkSync('/bin/busybox', dest);
  }
  const files = {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
    'etc/group': 'root:x:0:\nnobody:x:65534:\n',
    'etc/shadow': 'root:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\n',
    'etc/hostname': '', 'etc/hosts': '', 'etc/resolv.conf': '',
    'etc/nsswitch.conf': 'hosts: files dns\n',
    'var/www/index.html': '<h1>Lantern busybox</h1>\n',
  };
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(root, file), text);
  for (const f of walk(root)) {
    const st = fs.lstatSync(f);
    if (st.isSymbolicLink()) continue;
    const rel = path.relative(root, f);
    if (st.isDirectory()) fs.chmodSync(f, dirs[rel] ?? 0o755);
    else fs.chmodSync(f, rel === 'bin/busybox' ? 0o755 : rel === 'etc/shadow' ? 0o640 : 0o644);
  }
  fs.chmodSync(root, 0o755);
}

function addBlob(layout, bytes) {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  fs.writeFileSync(path.join(layout, blobPath(digest)), bytes);
  return { digest, size: bytes.length };
}

function blobPath(digest) { return `blobs/sha256/${digest.slice('sha256:'.length)}`; }

function json(value) { return Buffer.from(JSON.stringify(value)); }

function sha256File(file) {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(buf.subarray(0, n));
  } finally { fs.closeSync(fd); }
  return `sha256:${hash.digest('hex')}`;
}

function* walk(dir) {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    yield p;
    if (ent.isDirectory()) yield* walk(p);
  }
}

function fail(msg) {
  process.stderr.write(`make-busybox-image: ${msg}\n`);
  process.exit(1);
}
