import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../../api/schema/apps.js';
import type { Secret } from '../../api/schema/config.js';
import type { Service } from '../../api/schema/service.js';
import { loadCompose } from './load.js';
import { translate } from './translate.js';

const files: Record<string, string> = { '/p/web.env': '# comment\nMODE=prod\nQUOTED="a b"\n', '/p/app.conf': 'listen 80\n', '/p/pw.txt': 's3cret' };
const read = (f: string): string => { const t = files[f]; if (t === undefined) throw new Error(`no ${f}`); return t; };

const compose = `
name: Shop
services:
  web:
    image: busybox:latest
    command: sh -c "httpd -f -p 80"
    env_file: web.env
    environment: [GREETING=hi, "DB=\${DB_HOST:-db}"]
    ports: ["8080:80", "9000/udp"]
    volumes: ["./html:/www:ro", "data:/data"]
    depends_on: { db: { condition: service_healthy } }
    user: "1000:1000"
    working_dir: /www
    labels: { tier: front }
    configs: [app_conf]
    secrets: [{ source: pw, target: db_password }]
    deploy:
      replicas: 2
      resources: { limits: { cpus: "0.5", memory: 256m }, reservations: { memory: 64M } }
      placement: { constraints: ["node.labels.region == east", "node.hostname != n3"] }
      update_config: { parallelism: 2, order: start-first }
    container_name: nope
  db:
    image: busybox:latest
    healthcheck: { test: ["CMD-SHELL", "test -f /tmp/ready"], interval: 2s, timeout: 1s, retries: 5, start_period: 1m30s }
    restart: on-failure
volumes: { data: {} }
configs: { app_conf: { file: ./app.conf } }
secrets: { pw: { file: ./pw.txt } }
x-extra: 1
`;

describe('compose translation', () => {
  const project = loadCompose(compose, { dir: '/p', env: {}, read });
  const plan = translate(project);
  const objs = (r: string) => [...plan.shared, ...plan.services.flatMap((s) => s.objects)].filter((o) => o.resource === r).map((o) => o.object);

  test('one namespace per project, named after it; services in depends_on order', () => {
    assert.equal(plan.namespace.metadata.name, 'shop');
    assert.deepEqual(plan.services.map((s) => s.service.name), ['db', 'web']);
    assert.ok([...plan.shared, ...plan.services.flatMap((s) => s.objects)].every((o) => o.object.metadata.namespace === 'shop'));
  });

  test('a project that publishes ports or bind-mounts enforces Pod Security privileged in its namespace (baseline refuses hostPort and hostPath); one that does not keeps the default', () => {
    assert.equal(plan.namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'privileged');
    const plain = translate(loadCompose('services:\n  app:\n    image: busybox\n    ports: ["80"]\n', { dir: '/p', env: {}, read }));
    assert.equal(plain.namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'], undefined, 'an exposed (not published) port needs no host access');
  });

  test('a service becomes a Deployment with its command, env, user, resources, placement and update strategy', () => {
    const web = objs('deployments').find((d) => d.metadata.name === 'web') as Deployment;
    const c = web.spec.template.spec.containers[0]!;
    assert.equal(web.spec.replicas, 2);
    assert.deepEqual(c.args, ['sh', '-c', 'httpd -f -p 80']);
    assert.equal(c.command, undefined);
    assert.deepEqual(c.env, [{ name: 'MODE', value: 'prod' }, { name: 'QUOTED', value: 'a b' }, { name: 'GREETING', value: 'hi' }, { name: 'DB', value: 'db' }]);
    assert.deepEqual(c.securityContext, { runAsUser: 1000, runAsGroup: 1000 });
    assert.equal(c.workingDir, '/www');
    assert.deepEqual(c.resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { memory: '64Mi' } });
    assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP', hostPort: 8080 }, { containerPort: 9000, protocol: 'UDP' }]);
    assert.deepEqual(web.spec.template.spec.nodeSelector, { region: 'east' });
    assert.deepEqual(web.spec.template.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchExpressions,
      [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['n3'] }]);
    assert.deepEqual(web.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } });
    assert.equal(web.spec.template.metadata?.labels?.tier, 'front');
  });

  test('volumes, configs and secrets: PVC, hostPath, and files where Compose puts them', () => {
    assert.deepEqual(objs('persistentvolumeclaims').map((o) => o.metadata.name), ['data']);
    const web = objs('deployments').find((d) => d.metadata.name === 'web') as Deployment;
    const spec = web.spec.template.spec;
    const c = spec.containers[0]!;
    const byMount = new Map((c.volumeMounts ?? []).map((m) => [m.mountPath, { m, v: spec.volumes!.find((v) => v.name === m.name)! }]));
    assert.deepEqual(byMount.get('/www')!.v.hostPath, { path: '/p/html' });
    assert.equal(byMount.get('/www')!.m.readOnly, true);
    assert.deepEqual(byMount.get('/data')!.v.persistentVolumeClaim, { claimName: 'data' });
    assert.equal(byMount.get('/app_conf')!.v.configMap?.name, 'app-conf');
    assert.equal(byMount.get('/run/secrets/db_password')!.v.secret?.secretName, 'pw');
    assert.equal(byMount.get('/run/secrets/db_password')!.m.subPath, 'content');
    const secret = objs('secrets')[0] as Secret;
    assert.equal(Buffer.from(secret.data!.content!, 'base64').toString(), 's3cret');
  });

  test('healthcheck becomes a readiness probe; each service gets a headless Service for DNS', () => {
    const db = objs('deployments').find((d) => d.metadata.name === 'db') as Deployment;
    assert.deepEqual(db.spec.template.spec.containers[0]!.readinessProbe,
      { exec: { command: ['/bin/sh', '-c', 'test -f /tmp/ready'] }, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 5, initialDelaySeconds: 90 });
    const svc = objs('services').find((s) => s.metadata.name === 'web') as Service;
    assert.equal(svc.spec.clusterIP, 'None');
    assert.deepEqual(svc.spec.selector, { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' });
  });

  test('what is not carried is named in a warning', () => {
    assert.ok(plan.warnings.some((w) => w.includes('services.web.container_name')), plan.warnings.join('\n'));
    assert.ok(plan.warnings.some((w) => w.includes('"x-extra"')));
    assert.ok(plan.warnings.some((w) => w.includes('services.db.restart "on-failure"')));
  });

  test('bad input names the key', () => {
    assert.throws(() => loadCompose('services: { a: { image: x, depends_on: [b] } }', { dir: '/p', read }), /services\.a\.depends_on: no service named "b"/);
    assert.throws(() => loadCompose('services: { a: { image: x, ports: ["1-5:1-5"] } }', { dir: '/p', read }), /services\.a\.ports\[0\]/);
    assert.throws(() => translate(loadCompose('services: { a: { image: x, depends_on: [b] }, b: { image: x, depends_on: [a] } }', { dir: '/p', read })), /cycle/);
    assert.throws(() => translate(loadCompose('services: { a: { image: x, deploy: { placement: { constraints: ["node.platform.os == linux"] } } } }', { dir: '/p', read })), /constraints\[0\]/);
  });
});
