/**
 * bench:image-verify — container start latency with cosign signature verification on vs off, same run.
 * The same busybox image is pushed to the built-in registry under two repositories: one covered by a
 * ClusterImagePolicy (signed; the node verifies before the container starts, the verdict cached per
 * digest), one not. `lcctl run --rm IMAGE true` takes turns on both. Also: one uncached verification
 * (fetch the .sig artifact + payload, ECDSA verify), the cost of the first start of a new digest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBenchmark, onCleanup } from './lib/cleanup.js';
import { lcctlBin, listPods, startLantern } from './lib/lantern.js';
import { machineReport } from './lib/machine.js';
import { timedOk, until } from './lib/proc.js';
import { rounds } from './lib/rounds.js';
import { median, ms, percentile, ratio, table } from './lib/stats.js';
import { generateCosignKeyPair } from '../src/image/signing/keys.js';
import { ImageVerifier } from '../src/image/signing/verifier.js';
import { RegistryClient } from '../src/image/distribution/registry.js';
import { resolveDigest } from '../src/image/signing/remote.js';
import type { ClusterImagePolicy } from '../src/api/schema/cluster-image-policy.js';

const WARMUPS = 2;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

runBenchmark('bench:image-verify', async () => {
  say('== bench:image-verify: start latency with signature verification on vs off ==');
  say(machineReport());
  const lantern = await startLantern();
  const env = { ...lantern.env, COSIGN_PASSWORD: 'bench' };
  const host = new URL(lantern.server.url).host;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-verify-'));
  onCleanup('remove the key dir', () => rmSync(dir, { recursive: true, force: true }));
  const ref = (n: string): string => `${host}/benchsig/${n}:1`;
  for (const n of ['verified', 'plain']) {
    await timedOk(lcctlBin, ['tag', 'busybox', ref(n)], env);
    await timedOk(lcctlBin, ['push', ref(n)], env);
  }
  const keys = generateCosignKeyPair('bench');
  writeFileSync(path.join(dir, 'cosign.key'), keys.privatePem);
  await timedOk(lcctlBin, ['image', 'sign', '--key', path.join(dir, 'cosign.key'), ref('verified')], env);
  const policy: ClusterImagePolicy = {
    apiVersion: 'policy.lantern.dev/v1alpha1', kind: 'ClusterImagePolicy', metadata: { name: 'bench-verify' },
    spec: { images: [{ glob: `${host}/benchsig/verified*` }], authorities: [{ key: { data: keys.publicPem } }], mode: 'enforce' },
  };
  await lantern.client.create('clusterimagepolicies', policy);

  const gone = async (): Promise<void> => { await until('the --rm pod to be gone', async () => (await listPods(lantern.client)).length === 0, 30_000, 20); };
  const samples = await rounds([
    { name: 'on', run: () => timedOk(lcctlBin, ['run', '--rm', ref('verified'), 'true'], env), after: gone },
    { name: 'off', run: () => timedOk(lcctlBin, ['run', '--rm', ref('plain'), 'true'], env), after: gone },
  ], WARMUPS, RUNS, (r) => { if (r % 5 === 0) process.stderr.write(`  round ${r}/${RUNS}\n`); });
  const on = samples.get('on')!;
  const off = samples.get('off')!;

  // Uncached: a new verifier each time (what the first start of a new digest pays).
  const stored = await lantern.client.get<ClusterImagePolicy>('clusterimagepolicies', 'bench-verify');
  const client = (): RegistryClient => new RegistryClient(host, { scheme: 'http', auth: { registrytoken: lantern.server.token } });
  const digest = await resolveDigest(client(), 'benchsig/verified', '1');
  const cold: number[] = [];
  {
    for (let i = 0; i < RUNS; i++) {
      const v = new ImageVerifier(client);
      const t0 = performance.now();
      const verdict = await v.check(ref('verified'), digest, [stored]);
      cold.push(performance.now() - t0);
      if (!verdict.allowed) throw new Error(`verification failed in the bench: ${verdict.reason}`);
    }
  }
  const row = (label: string, v: number[]): string[] => [label, ms(median(v)), ms(percentile(v, 90)), ms(Math.min(...v)), ms(Math.max(...v))];
  say(table([
    ['case', 'median', 'p90', 'min', 'max'],
    row('lcctl run --rm (policy + signature, cached per digest)', on),
    row('lcctl run --rm (no policy covers the image)', off),
    row('one uncached verification (in process: .sig + payload + ECDSA)', cold),
  ]));
  say(`ratio on/off (medians): ${ratio(median(on), median(off))}`);
});
