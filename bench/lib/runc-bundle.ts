import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { onCleanup } from './cleanup.js';
import { must } from './proc.js';

/** An OCI bundle for raw runc, and the private runc state root its containers live under. */
export interface Bundle { dir: string; root: string }

interface Descriptor { digest: string }

const blob = (layout: string, d: Descriptor): string => path.join(layout, 'blobs', ...d.digest.split(':'));

/**
 * Unpack the image's layers from the OCI archive into BUNDLE/rootfs, write `runc spec`'s default
 * config with args ["true"] and terminal false (its default namespaces, network included: a new,
 * empty netns with no interfaces configured). Removed at cleanup, with any container left in it.
 */
export function makeBundle(archive: string): Bundle {
  const work = mkdtempSync(path.join(tmpdir(), 'lantern-bench-runc-'));
  const root = path.join(work, 'state');
  onCleanup('remove the runc bundle and its containers', () => {
    for (const id of safeList(root)) spawnSync('runc', ['--root', root, 'delete', '--force', id]);
    rmSync(work, { recursive: true, force: true });
  });
  const layout = path.join(work, 'layout');
  mkdirSync(layout);
  must('tar', ['-xf', archive, '-C', layout]);
  const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const first = index.manifests[0];
  if (!first) throw new Error(`${archive}: index.json lists no manifest`);
  const manifest = JSON.parse(readFileSync(blob(layout, first), 'utf8')) as { layers: Descriptor[] };
  const dir = path.join(work, 'bundle');
  const rootfs = path.join(dir, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  // GNU tar detects gzip by itself; layers are applied in order (this image has one, no whiteouts).
  for (const layer of manifest.layers) must('tar', ['-xf', blob(layout, layer), '-C', rootfs]);
  must('runc', ['spec', '--bundle', dir]);
  const configFile = path.join(dir, 'config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as { process: { args: string[]; terminal: boolean } };
  config.process.args = ['true'];
  config.process.terminal = false;
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  mkdirSync(root);
  return { dir, root };
}

function safeList(dir: string): string[] {
  try { return readdirSync(dir); } catch { return []; }
}
