/**
 * bench:pull — pull of a ~100 MB image in 5 gzipped layers from one local registry:
 * `lcctl pull` vs `docker pull` vs `skopeo copy docker://... oci:DIR`, taking turns, each into an empty store.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanup, runBenchmark } from './lib/cleanup.js';
import { ensureDocker } from './lib/docker.js';
import { lcctlBin, startLantern } from './lib/lantern.js';
import { tarTree, writeTree } from './lib/layer-gen.js';
import { load, machineReport } from './lib/machine.js';
import { must, timed, timedOk } from './lib/proc.js';
import { writeOciLayout, startRegistry } from './lib/registry.js';
import { rounds } from './lib/rounds.js';
import { median, ms, ratio, table, verdict } from './lib/stats.js';

const MB = 1e6;
const LAYERS = 5;
const LAYER_BYTES = Number(process.env.BENCH_PULL_MB ?? 100) * MB / LAYERS;
const WARMUPS = 1;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

/** Files under dir, recursively (0 when it is missing). */
function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => !e.isDirectory()).length;
}

runBenchmark('bench:pull', async () => {
  say('== bench:pull: image pull from a local registry ==');
  say(machineReport());
  const work = mkdtempSync(join(process.env.BENCH_DIR ?? '/var/tmp', 'lantern-bench-pull-'));
  onCleanup(`remove ${work}`, () => rmSync(work, { recursive: true, force: true }));

  // 5 layers of mostly random bytes (gzip cannot shrink them to nothing), each its own tree of mixed files.
  const layers: { tar: string; gz: string }[] = [];
  let files = 0;
  for (let i = 0; i < LAYERS; i++) {
    const tree = join(work, `tree${i}`);
    files += writeTree(tree, { bytes: LAYER_BYTES, compressible: 0.2 }, i).files;
    const tar = join(work, `layer${i}.tar`);
    tarTree(tree, tar, true);
    rmSync(tree, { recursive: true, force: true });
    layers.push({ tar, gz: `${tar}.gz` });
  }
  const layout = join(work, 'oci');
  const blobBytes = writeOciLayout(layout, layers);
  const registry = await startRegistry();
  const ref = `${registry}/bench/big:1`;
  must('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}:1`, `docker://${ref}`]);
  say(`image:       ${ref}: ${LAYERS} gzip layers, ${files} files, ${(blobBytes / MB).toFixed(1)} MB of blobs (registry: docker-registry, plain HTTP on loopback)`);

  const lantern = await startLantern({ importImage: false });
  const docker = await ensureDocker();
  say(`dockerd:     ${docker.startedHere ? 'started by this benchmark' : 'was already running'} (pid ${docker.pid})`);
  const storeDir = join(lantern.server.dataDir, 'agent', 'images');
  const leftInStore = (): number => countFiles(join(storeDir, 'blobs')) + countFiles(join(storeDir, 'snapshots'));
  const rmiLantern = async (): Promise<void> => {
    await timed(lcctlBin, ['rmi', ref], lantern.env);
    // The server mirrors each pulled image into its registry in the background and pins the blob it
    // copies, so rmi may have to leave one behind: sweep until the store is really empty, or the next
    // pull would find a layer already there.
    for (let i = 0; i < 50 && leftInStore() > 0; i++) {
      await timed(lcctlBin, ['image', 'prune', '-f'], lantern.env);
      await new Promise((r) => setTimeout(r, 200));
    }
    const left = leftInStore();
    if (left > 0) process.stderr.write(`  note: ${left} files left in lantern's image store after rmi and prune\n`);
  };
  const rmiDocker = async (): Promise<void> => { await timed(docker.bin, ['rmi', '-f', ref]); };
  onCleanup(`docker rmi ${ref}`, rmiDocker);
  await rmiDocker();
  const oci = (i: number): string => join(work, `skopeo-${i}`);

  say(`\n-- ${RUNS} pulls each after ${WARMUPS} warm-up, taking turns; every pull starts from an empty store --`);
  const samples = await rounds([
    { name: 'lantern', run: () => timedOk(lcctlBin, ['pull', '-q', ref], lantern.env), after: rmiLantern },
    { name: 'docker', run: () => timedOk(docker.bin, ['pull', '-q', ref]), after: rmiDocker },
    {
      name: 'skopeo',
      run: (i) => timedOk('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${oci(i)}:1`]),
      after: async () => { for (const e of readdirSync(work)) if (e.startsWith('skopeo-')) rmSync(join(work, e), { recursive: true, force: true }); },
    },
  ], WARMUPS, RUNS, (r) => process.stderr.write(`  round ${r}/${RUNS}\n`));
  const lt = samples.get('lantern')!;
  const dk = samples.get('docker')!;
  const sk = samples.get('skopeo')!;
  const row = (label: string, v: number[]): string[] => [label, ms(median(v)), `${(blobBytes / MB / (median(v) / 1000)).toFixed(1)} MB/s`, ms(Math.min(...v)), ms(Math.max(...v))];
  say(table([
    ['command', 'median', 'blob MB/s', 'min', 'max'],
    row('lcctl pull', lt),
    row('docker pull', dk),
    row('skopeo copy docker:// oci:', sk),
  ]));
  const fastest = Math.min(median(dk), median(sk));
  const peer = fastest === median(dk) ? 'docker' : 'skopeo';
  say(`ratio lantern/docker ${ratio(median(lt), median(dk))}, lantern/skopeo ${ratio(median(lt), median(sk))}; `
    + `lantern/fastest peer (${peer}) ${ratio(median(lt), fastest)}  (target <= 1.0: ${verdict(median(lt) <= fastest)})`);
  say('what each does: lcctl pull and docker pull download, verify and unpack the layers into their stores; skopeo');
  say('copies the blobs into an OCI layout (verified, not unpacked).');
  say(`load avg after: ${load()}`);
});
