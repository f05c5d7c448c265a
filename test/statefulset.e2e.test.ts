/**
 * A StatefulSet of real busybox containers on a real server with its own agent, driven through lcctl:
 * a headless Service gives web-0..2 their DNS names (web-0.nginx resolves from web-2 to web-0's pod
 * IP), pods come up in order, `rollout restart` + `rollout status` replace them, scale goes through
 * the scale subresource, and a volumeClaimTemplate claim keeps its data when its pod is deleted and
 * made again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../src/api/pod.js';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

const server = new TestServer();
const cli = new Cli(server);

interface List<T> { items: T[] }
const pods = async (app: string): Promise<Pod[]> => (await server.api<List<Pod>>('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).body.items;
const running = async (app: string): Promise<Pod[]> => (await pods(app)).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running'
  && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));

const set = (name: string, replicas: number, extra = ''): string => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  serviceName: nginx
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:latest
        command: [sh, -c, 'trap "exit 0" TERM; while :; do sleep 1; done']
${extra}`;

describe('StatefulSet on a real node', { timeout: 300_000 }, () => {
  before(async () => {
    await server.start();
    await cli.importBusybox();
    await cli.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: nginx}\nspec:\n  clusterIP: None\n  selector: {app: web}\n  ports: [{name: web, port: 80}]\n');
  });
  after(async () => {
    for (const s of ['web', 'vault']) await server.lcctl(['delete', 'statefulset', s]);
    await server.until('statefulset pods gone', async () => (await pods('web')).length + (await pods('vault')).length === 0, 60_000).catch(() => undefined);
    await server.stop();
  });

  test('web-0..2 come up in order with stable names, and web-0.nginx resolves from web-2', async () => {
    assert.match(await cli.ok(['apply', '-f', '-'], set('web', 3)), /statefulset\.apps\/web created/);
    const status = await cli.ok(['rollout', 'status', 'statefulset/web', '--timeout', '120s']);
    assert.match(status, /statefulset rolling update complete 3 pods at revision web-\w+\.\.\.\n$/);
    const live = await running('web');
    assert.deepEqual(live.map((p) => p.metadata.name).sort(), ['web-0', 'web-1', 'web-2']);
    const created = (n: string): number => Date.parse(live.find((p) => p.metadata.name === n)!.metadata.creationTimestamp ?? '');
    assert.ok(created('web-0') <= created('web-1') && created('web-1') <= created('web-2'), 'OrderedReady: in ordinal order');
    assert.match(await cli.ok(['get', 'sts']), /\nweb\s+3\/3\s+\S+\n/);
    assert.match(await cli.ok(['describe', 'sts', 'web']), /Pods Status:\s+3 Running/);

    const ip0 = live.find((p) => p.metadata.name === 'web-0')!.status?.podIP ?? '';
    assert.match(ip0, /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal((await cli.ok(['exec', 'web-2', 'hostname'])).trim(), 'web-2');
    const lookup = await server.until('web-0.nginx resolves from web-2', async () => {
      const r = await cli.run(['exec', 'web-2', 'ping', '-c1', '-W1', 'web-0.nginx']);
      return r.stdout.includes(`(${ip0})`) ? r.stdout : undefined;
    }, 60_000);
    assert.match(lookup, /PING web-0\.nginx/);
    const full = await cli.ok(['exec', 'web-2', 'nslookup', 'web-1.nginx.default.svc.cluster.local']);
    assert.match(full, new RegExp(`Address:\\s+${(live.find((p) => p.metadata.name === 'web-1')!.status?.podIP ?? '').replaceAll('.', '\\.')}`));
  });

  test('rollout restart replaces every pod, highest ordinal first; scale goes through the scale subresource', async () => {
    const before = new Map((await running('web')).map((p) => [p.metadata.name, p.metadata.uid]));
    assert.equal(await cli.ok(['rollout', 'restart', 'sts/web']), 'statefulset.apps/web restarted\n');
    await cli.ok(['rollout', 'status', 'sts/web', '--timeout', '180s']);
    const after = await server.until('3 new ready pods', async () => { const l = await running('web'); return l.length === 3 && l; }, 60_000);
    for (const p of after) assert.notEqual(p.metadata.uid, before.get(p.metadata.name), `${p.metadata.name} was replaced`);
    assert.match(await cli.ok(['rollout', 'history', 'sts/web']), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    assert.equal(await cli.ok(['scale', 'sts/web', '--replicas=2']), 'statefulset.apps/web scaled\n');
    await server.until('web-2 gone', async () => (await pods('web')).every((p) => p.metadata.name !== 'web-2'), 60_000);
    assert.deepEqual((await running('web')).map((p) => p.metadata.name).sort(), ['web-0', 'web-1']);
  });

  test('a volumeClaimTemplate claim keeps its data when vault-1 is deleted and comes back', async () => {
    const claims = '  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 64Mi}}}\n';
    const withMount = set('vault', 2, claims).replace("        command: [sh, -c, 'trap", "        volumeMounts: [{name: data, mountPath: /data}]\n        command: [sh, -c, 'trap");
    await cli.ok(['apply', '-f', '-'], withMount);
    await server.until('vault-0 and vault-1 ready', async () => (await running('vault')).length === 2, 120_000);
    assert.match(await cli.ok(['get', 'pvc']), /data-vault-1\s+Bound/);
    await cli.ok(['exec', 'vault-1', 'sh', '-c', 'echo kept-across-pods > /data/file']);
    const old = (await running('vault')).find((p) => p.metadata.name === 'vault-1')!.metadata.uid;
    await cli.ok(['delete', 'pod', 'vault-1']);
    await server.until('vault-1 made again and ready', async () => (await running('vault')).find((p) => p.metadata.name === 'vault-1' && p.metadata.uid !== old), 120_000);
    assert.equal((await cli.ok(['exec', 'vault-1', 'cat', '/data/file'])).trim(), 'kept-across-pods');
  });
});
