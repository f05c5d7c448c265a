/**
 * lcctl compose on a TestServer with real busybox containers: a web service that depends on a
 * healthchecked db (service_healthy), a named volume and a published port; web reaches db by name.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

const server = new TestServer();
const cli = new Cli(server);
const dir = mkdtempSync(path.join(tmpdir(), 'c1-compose-'));
const file = path.join(dir, 'compose.yaml');

writeFileSync(file, `
name: c1shop
services:
  web:
    image: busybox:latest
    command: ["sh", "-c", "while :; do wget -q -O - http://db:5432/hello.txt && sleep 1000; sleep 1; done"]
    ports: ["18431:80"]
    depends_on:
      db: { condition: service_healthy }
  db:
    image: busybox:latest
    command: ["sh", "-c", "echo hello-from-db > /data/hello.txt && httpd -f -p 5432 -h /data"]
    volumes: ["dbdata:/data"]
    healthcheck:
      test: ["CMD", "test", "-f", "/data/hello.txt"]
      interval: 1s
      retries: 30
volumes:
  dbdata: {}
`);

before(async () => {
  await server.start();
  await cli.importBusybox();
});
after(async () => {
  await server.lcctl(['compose', '-f', file, 'down', '--timeout', '90s']).catch(() => undefined);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('compose up brings web and a healthy db up in their own namespace; web reaches db by name; down removes it all', async () => {
  const config = await cli.ok(['compose', '-f', file, 'config']);
  assert.match(config, /name: c1shop/);
  const upRun = await cli.expect(0, ['compose', '-f', file, 'up', '-d', '--timeout', '180s']);
  // web was created only after db was healthy.
  assert.match(upRun.stderr, /c1shop-db {2}Healthy[\s\S]*Service web {2}Started/);
  const ns = await server.api<{ metadata: { name: string } }>('GET', '/api/v1/namespaces/c1shop');
  assert.equal(ns.status, 200);
  const pvc = await server.api<{ spec: { storageClassName?: string } }>('GET', '/api/v1/namespaces/c1shop/persistentvolumeclaims/dbdata');
  assert.equal(pvc.status, 200);

  const logs = await server.until('web fetched db\'s file by name', async () => {
    const r = await cli.run(['compose', '-f', file, 'logs']);
    return r.stdout.includes('hello-from-db') && r.stdout;
  }, 120_000);
  assert.match(logs, /^web-1 +\| hello-from-db$/m);

  const ps = await cli.ok(['compose', '-f', file, 'ps']);
  const lines = ps.trim().split('\n');
  assert.match(lines[0]!, /^NAME +IMAGE +SERVICE +STATUS +PORTS/);
  assert.equal(lines.length, 3, ps);
  assert.match(ps, /\n\S+ +busybox:latest +db +Up \(healthy\)/);
  assert.match(ps, /\n\S+ +busybox:latest +web +Up +0\.0\.0\.0:18431->80\/tcp/);

  await cli.ok(['compose', '-f', file, 'down', '--timeout', '120s']);
  assert.equal((await server.api('GET', '/api/v1/namespaces/c1shop')).status, 404);
  assert.equal((await server.api('GET', '/apis/apps/v1/namespaces/c1shop/deployments/web')).status, 404);
});
