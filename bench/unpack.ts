/**
 * bench:unpack — layer unpack throughput of Lantern's image store (ensureSnapshot: blob -> snapshots/<diffID>/fs,
 * whiteouts converted, flushed, renamed into place) vs plain `tar -xzf` / `tar -xf` of the same blob.
 * MB/s of uncompressed tar bytes, gzip and uncompressed layers, contenders taking turns.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreLayout } from '../src/image/layout.js';
import { ensureSnapshot } from '../src/image/unpack.js';
import type { LayerBlob } from '../src/image/formats.js';
import { onCleanup, runBenchmark } from './lib/cleanup.js';
import { tarTree, writeTree } from './lib/layer-gen.js';
import { load, machineReport } from './lib/machine.js';
import { must, timedOk } from './lib/proc.js';
import { rounds } from './lib/rounds.js';
import { median, ms, ratio, table } from './lib/stats.js';

const MB = 1e6;
const SIZE = Number(process.env.BENCH_UNPACK_MB ?? 100) * MB;
const WARMUPS = 1;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const sha = (file: string): string => `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;

runBenchmark('bench:unpack', async () => {
  say('== bench:unpack: layer unpack throughput ==');
  say(machineReport());
  // Not tmpfs: the store lives on the data disk, and the peer extracts to the same filesystem.
  const work = mkdtempSync(join(process.env.BENCH_DIR ?? '/var/tmp', 'lantern-bench-unpack-'));
  onCleanup(`remove ${work}`, () => rmSync(work, { recursive: true, force: true }));

  const tree = join(work, 'tree');
  const gen = writeTree(tree, { bytes: SIZE, compressible: 0.5 });
  const tar = join(work, 'layer.tar');
  tarTree(tree, tar, true);
  rmSync(tree, { recursive: true, force: true });
  const tarBytes = statSync(tar).size;
  const gzBytes = statSync(`${tar}.gz`).size;
  const diffId = sha(tar);
  say(`layer:       ${gen.files} files, ${(gen.bytes / MB).toFixed(1)} MB of content (half text-like, half random), `
    + `tar ${(tarBytes / MB).toFixed(1)} MB, gzip -6 ${(gzBytes / MB).toFixed(1)} MB`);

  const layout = new StoreLayout(join(work, 'store'));
  mkdirSync(layout.blobsDir, { recursive: true });
  mkdirSync(layout.snapshotsDir, { recursive: true });
  const out = join(work, 'out');

  const results: string[][] = [['layer', 'contender', 'median', 'MB/s (uncompressed)', 'min', 'max']];
  const ratios: string[] = [];
  for (const gzip of [true, false]) {
    const file = gzip ? `${tar}.gz` : tar;
    const digest = sha(file);
    copyFileSync(file, layout.blob(digest));
    const layer: LayerBlob = { digest, size: statSync(file).size, mediaType: '', diffId, unpackedSize: tarBytes };
    const kind = gzip ? 'gzip' : 'plain tar';
    const peer = gzip ? 'tar -xzf' : 'tar -xf';
    say(`\n-- ${kind}: ${RUNS} runs each after ${WARMUPS} warm-up, taking turns; page cache warm, \`sync\` (untimed) between runs --`);
    const tidy = async (): Promise<void> => {
      rmSync(layout.snapshot(diffId), { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
      must('sync', []);
    };
    const samples = await rounds([
      {
        name: 'lantern',
        run: async () => {
          const t0 = performance.now();
          if (!(await ensureSnapshot(layout, layer))) throw new Error('snapshot already existed');
          return performance.now() - t0;
        },
        after: tidy,
      },
      { name: 'peer', run: () => { mkdirSync(out); return timedOk('tar', [gzip ? '-xzf' : '-xf', file, '-C', out]); }, after: tidy },
      { name: 'peer+sync', run: () => { mkdirSync(out); return timedOk('sh', ['-c', `tar ${gzip ? '-xzf' : '-xf'} "$0" -C "$1" && sync -f "$1"`, file, out]); }, after: tidy },
    ], WARMUPS, RUNS);
    const row = (name: string, v: number[]): string[] => [kind, name, ms(median(v)), (tarBytes / MB / (median(v) / 1000)).toFixed(1), ms(Math.min(...v)), ms(Math.max(...v))];
    const lt = samples.get('lantern')!;
    const pr = samples.get('peer')!;
    const ps = samples.get('peer+sync')!;
    results.push(row('lantern ensureSnapshot', lt), row(peer, pr), row(`${peer} && sync -f`, ps));
    ratios.push(`${kind}: lantern/${peer} throughput ${ratio(median(pr), median(lt))} (time ratio ${ratio(median(lt), median(pr))}); `
      + `vs ${peer} && sync -f: ${ratio(median(ps), median(lt))}`);
    rmSync(layout.blob(digest), { force: true });
  }
  say();
  say(table(results));
  for (const r of ratios) say(r);
  say('lantern = GNU tar -x (numeric owner, xattrs) into a temp dir + whiteout walk + `sync -f` + rename; the peers write');
  say('the same files; "&& sync -f" makes the peer flush them too, as the store must before it trusts a snapshot.');
  say(`load avg after: ${load()}`);
});
