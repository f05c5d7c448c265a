/**
 * HorizontalPodAutoscalers over real busybox containers: pods that burn CPU make their Deployment
 * grow, idle pods let theirs shrink once a short stabilization window has passed. CPU comes from the
 * same cAdvisor scrapes `lcctl top pods` reads. Driven through lcctl.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../src/api/pod.js';
import type { Deployment } from '../src/api/schema/apps.js';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

const server = new TestServer(['--hpa-sync-period', '2s']);
const cli = new Cli(server);

interface List<T> { items: T[] }

const deploymentYaml = (name: string, replicas: number, script: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: main
        image: busybox:latest
        command: [sh, -c, '${script}']
        resources: {requests: {cpu: 100m}}
`;

const replicas = async (name: string): Promise<number | undefined> =>
  (await server.api<Deployment>('GET', `/apis/apps/v1/namespaces/default/deployments/${name}`)).body.spec.replicas;

before(async () => {
  await server.start();
  await cli.importBusybox();
});
after(async () => {
  // Deleting the autoscalers first keeps them from scaling back up while the pods go.
  await server.lcctl(['delete', 'hpa', 'burn', 'idle']);
  await server.lcctl(['delete', 'deployment', 'burn', 'idle']);
  await server.until('pods gone', async () => (await server.api<List<Pod>>('GET', '/api/v1/namespaces/default/pods')).body.items.length === 0, 60_000).catch(() => undefined);
  await server.stop();
});

test('a Deployment whose pods burn CPU is scaled up by its autoscaler', async () => {
  await cli.ok(['apply', '-f', '-'], deploymentYaml('burn', 1, 'while :; do :; done'));
  assert.equal(await cli.ok(['autoscale', 'deployment/burn', '--min=1', '--max=2', '--cpu-percent=50']), 'horizontalpodautoscaler.autoscaling/burn autoscaled\n');
  await server.until('burn scaled to 2', async () => (await replicas('burn')) === 2, 120_000);
  const table = await cli.ok(['get', 'hpa']);
  assert.match(table, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\n/);
  // One pod spinning uses far more than half of its 100m request.
  assert.match(table, /\nburn\s+Deployment\/burn\s+cpu: \d+%\/50%\s+1\s+2\s+\d\s+\S+\n/);
  const described = await cli.ok(['describe', 'hpa', 'burn']);
  assert.match(described, /SuccessfulRescale\s+.*New size: 2; reason: cpu resource utilization \(percentage of request\) above target/);
  assert.match(described, /Reference:\s+Deployment\/burn/);
  // The controller keeps the count inside maxReplicas however hot the pods run.
  await server.until('burn autoscaler saw the new pods', async () => /ScalingLimited\s+True\s+TooManyReplicas/.test(await cli.ok(['describe', 'hpa', 'burn'])), 60_000);
  assert.equal(await replicas('burn'), 2);
});

test('a Deployment of idle pods is scaled down to minReplicas after its stabilization window', async () => {
  await cli.ok(['apply', '-f', '-'], deploymentYaml('idle', 3, 'while :; do sleep 1; done'));
  // The spelling, checked by the server without storing anything; the YAML below adds a behavior.
  assert.equal(await cli.ok(['autoscale', 'create', '--target=deployment/idle', '--min=1', '--max=3', '--cpu-percent=50', '--dry-run=server']), 'horizontalpodautoscaler.autoscaling/idle autoscaled (server dry run)\n');
  await cli.ok(['apply', '-f', '-'], `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: idle}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: idle}
  minReplicas: 1
  maxReplicas: 3
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
  behavior: {scaleDown: {stabilizationWindowSeconds: 4}}
`);
  await server.until('idle scaled to 1', async () => (await replicas('idle')) === 1, 120_000);
  const events = await cli.ok(['describe', 'hpa', 'idle']);
  assert.match(events, /New size: 1; reason: All metrics below target/);
});
