/**
 * A throwaway registry for the pull benchmark: Debian's docker-registry (distribution 2.8) on a free
 * loopback port, no auth, storage in a temp dir; and an OCI layout written by hand to push into it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeHostPort } from '../../test/harness/cli.js';
import { onCleanup } from './cleanup.js';
import { until } from './proc.js';

/** Start docker-registry; returns "localhost:PORT". Stopped and its storage removed at cleanup. */
export async function startRegistry(): Promise<string> {
  if (spawnSync('docker-registry', ['--version']).status !== 0) throw new Error('docker-registry not found: apt-get install -y docker-registry');
  const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-registry-'));
  onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const port = await freeHostPort();
  writeFileSync(join(dir, 'config.yml'), [
    'version: 0.1', 'log: {level: error, accesslog: {disabled: true}}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
    `http: {addr: "127.0.0.1:${port}"}`, '',
  ].join('\n'));
  let output = '';
  const proc = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  proc.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  onCleanup('stop docker-registry', async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  const host = `localhost:${port}`;
  await until(`docker-registry on ${host}`, async () => {
    if (proc.exitCode !== null) throw new Error(`docker-registry exited: ${output}`);
    return (await fetch(`http://127.0.0.1:${port}/v2/`).then((r) => r.status, () => 0)) === 200;
  }, 20_000, 50);
  return host;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm' };

/**
 * Write an OCI image layout at dir (tag "1") from layer tars and their gzipped blobs; returns the total
 * blob bytes. Layers are listed bottom first.
 */
export function writeOciLayout(dir: string, layers: readonly { tar: string; gz: string }[]): number {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (b: Buffer): { digest: string; size: number } => {
    const hex = sha(b);
    writeFileSync(join(blobs, hex), b);
    return { digest: `sha256:${hex}`, size: b.length };
  };
  const descs = layers.map((l) => {
    const hex = sha(readFileSync(l.gz));
    copyFileSync(l.gz, join(blobs, hex));
    return { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${hex}`, size: statSync(l.gz).size };
  });
  const config = put(Buffer.from(JSON.stringify({
    architecture: GOARCH[process.arch] ?? process.arch, os: 'linux', created: new Date().toISOString(),
    config: { Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${sha(readFileSync(l.tar))}`) },
  })));
  const manifest = put(Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: descs,
  })));
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': '1' } }],
  }));
  return descs.reduce((n, d) => n + d.size, config.size + manifest.size);
}
