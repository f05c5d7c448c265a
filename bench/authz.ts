/**
 * bench:authz — what RBAC costs: API write (ConfigMap create) and read (ConfigMap get) throughput as a
 * user bound to `edit`, against the admin token, same server, same run, taking turns, with 1,000 Roles
 * and 1,000 RoleBindings (other users', across 10 namespaces) in the authorizer's index. The user is
 * the admin token plus Impersonate-User (kubectl --as), so both sides share the connection setup and
 * the user's every request is decided by RBAC. Target: the user <= 5% slower. ROLES, OPS, ROUNDS, CLIENTS.
 */
import type { HttpClient } from '../src/client/http-client.js';
import { parseAnswer, readAll } from '../src/client/http-client.js';
import { runBenchmark } from './lib/cleanup.js';
import { drive } from './lib/drive.js';
import { newClient, startLantern } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { median, ratio, table, verdict } from './lib/stats.js';

const ROLES = Number(process.env.ROLES ?? 1000);
const OPS = Number(process.env.OPS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CLIENTS = Number(process.env.CLIENTS ?? 4);
const NS = 'bench-authz';
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const rbac = '/apis/rbac.authorization.k8s.io/v1';

/** One request with optional impersonation; throws on a non-2xx answer. */
async function call(c: HttpClient, method: string, path: string, body: unknown, as: string | undefined): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(as ? { 'impersonate-user': as } : {}) };
  const res = await c.raw(method, path, body === undefined ? undefined : JSON.stringify(body), headers);
  parseAnswer(res.status, await readAll(res.body));
}

const configMap = (name: string): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data: { k: 'v' } });

runBenchmark('bench:authz', async () => {
  say('== bench:authz: API throughput as an RBAC user (edit) vs the admin token, same run ==');
  say(machineReport());
  const lantern = await startLantern({ importImage: false, args: ['--no-agent'] });
  const admin = lantern.client;
  for (const ns of [NS, ...Array.from({ length: 10 }, (_, i) => `${NS}-${i}`)]) await call(admin, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, undefined);
  const setup = Array.from({ length: 8 }, () => newClient(lantern.server));
  await drive(setup, ROLES, async (c, i) => {
    const ns = `${NS}-${i % 10}`;
    await call(c, 'POST', `${rbac}/namespaces/${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `r${i}`, namespace: ns }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [`cm${i}`] }] }, undefined);
    await call(c, 'POST', `${rbac}/namespaces/${ns}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `b${i}`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `r${i}` }, subjects: [{ kind: 'User', name: `user${i}` }, { kind: 'Group', name: `group${i % 50}` }] }, undefined);
  });
  await call(admin, 'POST', `${rbac}/namespaces/${NS}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bench-edit', namespace: NS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'bench-user' }] }, undefined);
  say(`${ROLES} Roles and ${ROLES} RoleBindings stored; ${OPS} requests per phase, ${CLIENTS} keep-alive clients, ${ROUNDS} rounds taking turns`);
  const clients = Array.from({ length: CLIENTS }, () => newClient(lantern.server));
  // Wait until the binding reached the authorizer (it follows the store through a watch).
  for (;;) { try { await call(admin, 'GET', `/api/v1/namespaces/${NS}/configmaps`, undefined, 'bench-user'); break; } catch { await new Promise((r) => setTimeout(r, 50)); } }
  const perSec: Record<string, number[]> = { 'write admin': [], 'write user': [], 'read admin': [], 'read user': [] };
  const who = { admin: undefined, user: 'bench-user' } as const;
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? ['admin', 'user'] as const : ['user', 'admin'] as const) {
      const w = await drive(clients, OPS, (c, i) => call(c, 'POST', `/api/v1/namespaces/${NS}/configmaps`, configMap(`${side}-${round}-${i}`), who[side]));
      perSec[`write ${side}`]!.push(OPS / w.wallMs * 1000);
      const r = await drive(clients, OPS, (c, i) => call(c, 'GET', `/api/v1/namespaces/${NS}/configmaps/${side}-${round}-${i}`, undefined, who[side]));
      perSec[`read ${side}`]!.push(OPS / r.wallMs * 1000);
    }
    process.stderr.write(`  round ${round + 1}/${ROUNDS}\n`);
  }
  const med = (k: string): number => median(perSec[k]!);
  say(table([
    ['phase', 'admin req/s', 'user (edit) req/s', 'user/admin'],
    ['ConfigMap create', med('write admin').toFixed(0), med('write user').toFixed(0), ratio(med('write user'), med('write admin'))],
    ['ConfigMap get', med('read admin').toFixed(0), med('read user').toFixed(0), ratio(med('read user'), med('read admin'))],
  ]));
  const ok = med('write user') >= 0.95 * med('write admin') && med('read user') >= 0.95 * med('read admin');
  say(`target (user throughput >= 95% of admin's, medians of ${ROUNDS} rounds): ${verdict(ok)}`);
  say(`load after: ${load()}`);
});
