/**
 * bench:kubectl-get — `kubectl get pods` against `lcctl get pods` with N pods (default 10,000), same
 * server, same run, taking turns: wall time of each command (median of R rounds) and the ratio. The
 * server runs --no-agent over HTTPS (kubectl sends a token only over HTTPS); the pods stay Pending, which
 * changes nothing for a list. kubectl reads the server's DATA_DIR/kubeconfig.yaml with a private
 * discovery cache, warmed once before timing (as a user's would be).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HttpClient } from '../src/client/http-client.js';
import { TestServer, lcctlBin } from '../test/harness/lanternd.js';
import { onCleanup, runBenchmark } from './lib/cleanup.js';
import { drive } from './lib/drive.js';
import { load, machineReport } from './lib/machine.js';
import { median, ms, ratio, table } from './lib/stats.js';

const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

/** Wall time of one command, in ms; throws when it fails. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; lines: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const took = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms: took, lines: r.stdout.split('\n').filter((l) => l !== '').length };
}

runBenchmark('bench:kubectl-get', async () => {
  say(machineReport());
  const server = new TestServer(['--no-agent'], { https: true });
  onCleanup('stop lanternd', () => server.stop());
  await server.start();
  const home = mkdtempSync(path.join(tmpdir(), 'bench-kubectl-'));
  onCleanup('remove the kubectl cache', () => { rmSync(home, { recursive: true, force: true }); });
  const clients = Array.from({ length: 16 }, () => new HttpClient({ server: server.url, token: server.token, ...(server.ca === undefined ? {} : { ca: server.ca }) }));
  const made = await drive(clients, PODS, (c, i) => c.create('pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default', labels: { app: 'bench' } },
    spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
  }));
  say(`created ${PODS} pods in ${ms(made.wallMs)}`);
  const kubectlArgs = ['--kubeconfig', path.join(server.dataDir, 'kubeconfig.yaml'), '--cache-dir', path.join(home, 'cache'), 'get', 'pods'];
  const env = { ...process.env, HOME: home, LANTERN_CONFIG: server.configFile, NO_COLOR: '1' };
  timed('kubectl', kubectlArgs, env); // discovery cache and the server's JIT warm
  timed(lcctlBin, ['get', 'pods'], env);
  const kube: number[] = [];
  const lc: number[] = [];
  let lines = { kubectl: 0, lcctl: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    const a = timed('kubectl', kubectlArgs, env);
    const b = timed(lcctlBin, ['get', 'pods'], env);
    kube.push(a.ms);
    lc.push(b.ms);
    lines = { kubectl: a.lines, lcctl: b.lines };
  }
  say(table([
    ['client', 'rows', 'median', 'runs'],
    ['kubectl get pods', String(lines.kubectl - 1), ms(median(kube)), kube.map((v) => v.toFixed(0)).join(', ')],
    ['lcctl get pods', String(lines.lcctl - 1), ms(median(lc)), lc.map((v) => v.toFixed(0)).join(', ')],
  ]));
  say(`kubectl/lcctl: ${ratio(median(kube), median(lc))}   (load ${load()})`);
});
