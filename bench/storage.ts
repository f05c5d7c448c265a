/**
 * bench:storage — persistent volumes (issue 15).
 *  (a) write throughput into a local-path volume from inside a container (real runc; a pod on a claim of
 *      the default class) against the same command writing the same directory on the host, same run,
 *      taking turns: the host's static busybox `dd if=/dev/zero bs=1M count=N conv=fsync`, bind-mounted
 *      into the container so both sides run the same binary (target ratio >= 0.95).
 *  (b) dynamic provisioning: N claims + one pod each (busybox sleep), p50/p99 of claim-to-bound and
 *      pod-to-running, for local-path (WaitForFirstConsumer) and for NFS (nfs-ganesha, Immediate).
 * Sizes: BENCH_CLAIMS (100) or --claims N, BENCH_DD_MB (512), BENCH_DD_ROUNDS (3); small ones on a loaded machine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '../src/api/pod.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../src/api/schema/storage.js';
import type { HttpClient } from '../src/client/http-client.js';
import { NfsServer } from '../test/harness/nfs-server.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { deletePods, isRunning, lcctlBin, startLantern, type Lantern } from './lib/lantern.js';
import { machineReport } from './lib/machine.js';
import { timed, until } from './lib/proc.js';
import { median, ms, percentile, ratio, table, verdict } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const flag = process.argv.indexOf('--claims');
const CLAIMS = Number(flag >= 0 ? process.argv[flag + 1] : process.env.BENCH_CLAIMS ?? '100');
const DD_MB = Number(process.env.BENCH_DD_MB ?? '512');
const ROUNDS = Number(process.env.BENCH_DD_ROUNDS ?? '3');
const BUSYBOX = '/usr/bin/busybox';

const claim = (name: string, storageClassName?: string, mode = 'ReadWriteOnce'): PersistentVolumeClaim => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
  spec: { ...(storageClassName ? { storageClassName } : {}), accessModes: [mode], resources: { requests: { storage: '1Gi' } } },
} as PersistentVolumeClaim);

const podOn = (name: string, claimName: string, extra: { volumes?: unknown[]; mounts?: unknown[] } = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: {
    restartPolicy: 'Never', terminationGracePeriodSeconds: 0,
    containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '1m', memory: '4Mi' } }, volumeMounts: [{ name: 'data', mountPath: '/data' }, ...(extra.mounts ?? [])] }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }, ...(extra.volumes ?? [])],
  },
} as unknown as Pod);

/**
 * One timed write as a shell script run by the given busybox on either side: the clock is
 * /proc/uptime read before and after dd (same kernel clock inside and outside the container; 10 ms
 * steps), so neither side pays for starting its process (lcctl exec, spawn) in the figure.
 */
const ddScript = (bb: string, of: string): string =>
  `read a _ < /proc/uptime; ${bb} dd if=/dev/zero of=${of} bs=1M count=${DD_MB} conv=fsync 2>/dev/null || exit 1; read b _ < /proc/uptime; ${bb} rm -f ${of}; echo "$a $b"`;

/** Bytes per second from the script's "start end" line (seconds). */
function ddRate(out: string): number {
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(out.trim());
  if (!m) throw new Error(`cannot read the timed dd's figures from: ${out.trim()}`);
  return (DD_MB * 1024 * 1024) / Math.max(0.01, Number(m[2]) - Number(m[1]));
}
const mbps = (bps: number): string => `${(bps / 1e6).toFixed(1)} MB/s`;

async function throughput(l: Lantern): Promise<void> {
  say(`\n-- (a) write throughput: dd bs=1M count=${DD_MB} conv=fsync, ${ROUNDS} rounds each, taking turns --`);
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} (static busybox) is needed to run the same dd on both sides`);
  await l.client.create('persistentvolumeclaims', claim('tp-data'));
  await l.client.create('pods', podOn('tp-writer', 'tp-data', {
    volumes: [{ name: 'bb', hostPath: { path: BUSYBOX, type: 'File' } }],
    mounts: [{ name: 'bb', mountPath: '/hostbin/busybox', readOnly: true }],
  }));
  onCleanup('delete the throughput pod', () => deletePods(l.client, ['tp-writer']));
  await until('the writer pod Running', async () => isRunning(await l.client.get<Pod>('pods', 'tp-writer', 'default')), 180_000, 200);
  const c = await l.client.get<PersistentVolumeClaim>('persistentvolumeclaims', 'tp-data', 'default');
  const pv = await l.client.get<PersistentVolume>('persistentvolumes', c.spec.volumeName ?? '');
  const dir = (pv.spec as { local?: { path?: string } }).local?.path;
  if (!dir) throw new Error(`PV ${pv.metadata.name} has no spec.local.path`);
  say(`volume: claim tp-data -> PV ${pv.metadata.name} (local-path) at ${dir}`);
  const inPod: number[] = [];
  const onHost: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    checkStop();
    const h = await timed(BUSYBOX, ['sh', '-c', ddScript(BUSYBOX, join(dir, 'host.bin'))]);
    if (h.code !== 0) throw new Error(`host dd failed: ${h.stdout}${h.stderr}`);
    onHost.push(ddRate(h.stdout));
    const p = await timed(lcctlBin, ['exec', 'tp-writer', '/hostbin/busybox', 'sh', '-c', ddScript('/hostbin/busybox', '/data/pod.bin')], l.env);
    if (p.code !== 0) throw new Error(`dd in the pod failed: ${p.stdout}${p.stderr}`);
    inPod.push(ddRate(p.stdout));
    say(`  round ${i + 1}: host ${mbps(onHost[i]!)}, container ${mbps(inPod[i]!)}`);
  }
  say(table([
    ['writer', 'median', 'min', 'max'],
    ['host: busybox dd into the volume directory', mbps(median(onHost)), mbps(Math.min(...onHost)), mbps(Math.max(...onHost))],
    ['container (runc) on the local-path claim', mbps(median(inPod)), mbps(Math.min(...inPod)), mbps(Math.max(...inPod))],
  ]));
  const r = median(inPod) / median(onHost);
  say(`ratio container/host (medians): ${ratio(median(inPod), median(onHost))}  (target >= 0.95: ${verdict(r >= 0.95)})`);
  await deletePods(l.client, ['tp-writer']);
  await l.client.delete('persistentvolumeclaims', 'tp-data', 'default');
}

/** Create `count` claims of the class, each with a pod; time claim-to-bound and pod-to-running from the watches. */
async function provisioning(client: HttpClient, label: string, className: string | undefined, mode: string, count: number): Promise<string[]> {
  const t0 = new Map<string, number>();
  const bound = new Map<string, number>();
  const running = new Map<string, number>();
  const cw = client.watch<PersistentVolumeClaim>('persistentvolumeclaims', 'default', {}, (e) => {
    const n = e.object.metadata.name;
    if (e.type !== 'DELETED' && e.object.status?.phase === 'Bound' && !bound.has(n) && t0.has(n)) bound.set(n, performance.now() - t0.get(n)!);
  });
  const pw = client.watch<Pod>('pods', 'default', {}, (e) => {
    const n = e.object.metadata.name;
    if (e.type !== 'DELETED' && isRunning(e.object) && !running.has(n) && t0.has(n)) running.set(n, performance.now() - t0.get(n)!);
  });
  const names = Array.from({ length: count }, (_, i) => `${label}-${String(i).padStart(3, '0')}`);
  const start = performance.now();
  try {
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = next++; i < count; i = next++) {
        checkStop();
        const n = names[i]!;
        t0.set(n, performance.now());
        await client.create('persistentvolumeclaims', claim(n, className, mode));
        await client.create('pods', podOn(n, n));
      }
    }));
    await until(`${count} ${label} claims Bound and pods Running`, () => bound.size === count && running.size === count, 900_000, 200);
  } finally { cw.stop(); pw.stop(); }
  const all = performance.now() - start;
  const b = [...bound.values()];
  const r = [...running.values()];
  say(table([
    ['class', 'claims', 'claim-to-bound p50', 'p99', 'pod-to-running p50', 'p99', 'all done after'],
    [label, String(count), ms(percentile(b, 50)), ms(percentile(b, 99)), ms(percentile(r, 50)), ms(percentile(r, 99)), ms(all)],
  ]));
  return names;
}

async function cleanupClaims(l: Lantern, names: string[]): Promise<void> {
  await deletePods(l.client, names);
  for (const n of names) await l.client.delete('persistentvolumeclaims', n, 'default').catch(() => undefined);
}

runBenchmark('bench:storage', async () => {
  say('== bench:storage: persistent volumes ==');
  say(machineReport());
  // A /24 per node (the test default is a /27: 30 pods), so N claims' pods fit on the one node.
  const l = await startLantern({ args: ['--cluster-cidr', '10.252.0.0/22', '--node-cidr-mask-size', '24'] });
  await throughput(l);

  say(`\n-- (b) dynamic provisioning: ${CLAIMS} claims, each with a busybox pod (created 8 at a time); times from the claim's create --`);
  say('claim-to-bound: claim create sent -> watch shows phase Bound; pod-to-running: same start -> watch shows the container running');
  const local = await provisioning(l.client, 'lp', undefined, 'ReadWriteOnce', CLAIMS);
  await cleanupClaims(l, local);

  const nfs = new NfsServer();
  onCleanup('stop the NFS server', () => nfs.destroy());
  await nfs.start();
  await l.client.create('storageclasses', {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'bench-nfs' }, provisioner: 'lantern.dev/nfs', reclaimPolicy: 'Delete',
    parameters: { server: '127.0.0.1', share: nfs.exportDir, port: String(nfs.nfsPort), mountPort: String(nfs.mountPort) },
  });
  const onNfs = await provisioning(l.client, 'nfs', 'bench-nfs', 'ReadWriteMany', CLAIMS);
  await cleanupClaims(l, onNfs);
  say('\nlocal-path binds when the pod is scheduled (WaitForFirstConsumer), so its claim-to-bound includes scheduling;');
  say('nfs binds at once (Immediate): a subdirectory made on the export through the libnfs helper, then mounted per PV by FUSE.');
});
