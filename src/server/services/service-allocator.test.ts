import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { Service, ServicePort } from '../../api/schema/service.js';
import { openTestApi, withTestApi } from '../../testing/api.js';
import { ApiService } from '../api-service.js';

function svc(name: string, spec: Partial<Service['spec']> = {}, ports: ServicePort[] = [{ port: 80 }]): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports, ...spec } };
}
/** The field paths an Invalid error names. */
async function causesOf(p: Promise<unknown>): Promise<string[]> {
  try { await p; } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.code, 'Invalid', e.message);
    return (e.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }
  assert.fail('expected the write to be refused');
}

describe('Service allocation', () => {
  test('a ClusterIP Service gets a free IP of the service CIDR, never .1 (the kubernetes Service\'s), and the defaults', () => withTestApi(async ({ api }) => {
    const a = await api.create('services', svc('a'));
    assert.equal(a.spec.clusterIP, '10.43.0.2');
    assert.deepEqual(a.spec.clusterIPs, ['10.43.0.2']);
    assert.equal(a.spec.type, 'ClusterIP');
    assert.equal(a.spec.sessionAffinity, 'None');
    assert.deepEqual(a.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    const b = await api.create('services', svc('b'));
    assert.notEqual(b.spec.clusterIP, a.spec.clusterIP);
  }));

  test('a requested clusterIP is honoured when free and in range; taken or outside, the error names the field', () => withTestApi(async ({ api }) => {
    const a = await api.create('services', svc('a', { clusterIP: '10.43.7.7' }));
    assert.equal(a.spec.clusterIP, '10.43.7.7');
    const taken = await causesOf(api.create('services', svc('b', { clusterIP: '10.43.7.7' })));
    assert.match(taken.join(), /spec\.clusterIP: .*already allocated/);
    const outside = await causesOf(api.create('services', svc('c', { clusterIP: '192.168.1.1' })));
    assert.match(outside.join(), /spec\.clusterIP: .*not in the valid range.*10\.43\.0\.0\/16/);
    const kubernetes = await api.create('services', svc('k', { clusterIP: '10.43.0.1' }));
    assert.equal(kubernetes.spec.clusterIP, '10.43.0.1');
  }));

  test('headless and ExternalName Services take no IP; ExternalName needs externalName and no selector', () => withTestApi(async ({ api }) => {
    const h = await api.create('services', svc('h', { clusterIP: 'None' }));
    assert.equal(h.spec.clusterIP, 'None');
    const e = await api.create<Service>('services', { ...svc('e', { type: 'ExternalName', externalName: 'db.example.com' }), spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    assert.equal(e.spec.clusterIP, undefined);
    const noName = await causesOf(api.create('services', { ...svc('x'), spec: { type: 'ExternalName' } }));
    assert.match(noName.join(), /spec\.externalName: Required/);
    const sel = await causesOf(api.create('services', svc('y', { type: 'ExternalName', externalName: 'db.example.com' })));
    assert.match(sel.join(), /spec\.selector: Forbidden/);
    const next = await api.create('services', svc('n'));
    assert.equal(next.spec.clusterIP, '10.43.0.2');
  }));

  test('NodePort: a free port of the range, a requested one honoured; out of range or taken names spec.ports[i].nodePort', () => withTestApi(async ({ api }) => {
    const a = await api.create('services', svc('a', { type: 'NodePort' }));
    const port = a.spec.ports?.[0]?.nodePort ?? 0;
    assert.ok(port >= 30000 && port <= 32767, String(port));
    const b = await api.create('services', svc('b', { type: 'NodePort' }, [{ port: 80, nodePort: 31000 }]));
    assert.equal(b.spec.ports?.[0]?.nodePort, 31000);
    const taken = await causesOf(api.create('services', svc('c', { type: 'NodePort' }, [{ port: 80, nodePort: 31000 }])));
    assert.match(taken.join(), /spec\.ports\[0\]\.nodePort: .*already allocated/);
    const out = await causesOf(api.create('services', svc('d', { type: 'NodePort' }, [{ port: 80, nodePort: 8080 }])));
    assert.match(out.join(), /spec\.ports\[0\]\.nodePort: .*30000-32767/);
    const onClusterIP = await causesOf(api.create('services', svc('e', {}, [{ port: 80, nodePort: 31001 }])));
    assert.match(onClusterIP.join(), /spec\.ports\[0\]\.nodePort: Forbidden/);
  }));

  test('refused creates hold nothing: the whole small range is still there for others', () => withTestApi(async ({ store }) => {
    const api = new ApiService(store, { serviceRanges: { serviceCidr: '10.96.0.0/28', nodePorts: { first: 30000, last: 30001 } } });
    await causesOf(api.create('services', svc('a', { type: 'NodePort' }, [{ name: 'a', port: 80 }, { name: 'b', port: 81 }, { name: 'c', port: 82 }])));
    await causesOf(api.create('services', svc('b', { type: 'NodePort' }, [{ port: 80, nodePort: 29999 }])));
    const made = await Promise.all(Array.from({ length: 13 }, (_, i) => api.create('services', svc(`s${i}`, i < 2 ? { type: 'NodePort' } : {}))));
    assert.equal(new Set(made.map((m) => m.spec.clusterIP)).size, 13); // 10.96.0.2-14: the /28 less .0, .1 and .15
    assert.deepEqual(made.slice(0, 2).map((m) => m.spec.ports?.[0]?.nodePort).sort(), [30000, 30001]);
    assert.match((await causesOf(api.create('services', svc('full')))).join(), /spec\.clusterIP: .*10\.96\.0\.0\/28 is full/);
  }));

  test('concurrent creates never share an IP or a port', () => withTestApi(async ({ api }) => {
    const made = await Promise.all(Array.from({ length: 40 }, (_, i) => api.create('services', svc(`s${i}`, { type: 'NodePort' }))));
    assert.equal(new Set(made.map((s) => s.spec.clusterIP)).size, 40);
    assert.equal(new Set(made.map((s) => s.spec.ports?.[0]?.nodePort)).size, 40);
  }));

  test('delete frees the IP and port; a restarted server rebuilds what is held from the stored Services', async () => {
    const t = await openTestApi();
    try {
      const ranges = { serviceCidr: '10.96.0.0/28', nodePorts: { first: 30000, last: 30001 } };
      const api = new ApiService(t.store, { serviceRanges: ranges });
      const held = await api.create('services', svc('a', { type: 'NodePort', clusterIP: '10.96.0.5' }, [{ port: 80, nodePort: 30000 }]));
      await api.create('services', svc('gone', { type: 'NodePort', clusterIP: '10.96.0.6' }, [{ port: 80, nodePort: 30001 }]));
      await api.delete('services', 'gone');
      const again = await api.create('services', svc('again', { type: 'NodePort', clusterIP: '10.96.0.6' }, [{ port: 80, nodePort: 30001 }]));
      assert.equal(again.spec.ports?.[0]?.nodePort, 30001);
      await api.delete('services', 'again');
      const restarted = new ApiService(t.store, { serviceRanges: ranges });
      assert.match((await causesOf(restarted.create('services', svc('b', { clusterIP: held.spec.clusterIP }))) ).join(), /already allocated/);
      assert.match((await causesOf(restarted.create('services', svc('c', { type: 'NodePort' }, [{ port: 80, nodePort: 30000 }])))).join(), /already allocated/);
      const free = await restarted.create('services', svc('d', { type: 'NodePort' }));
      assert.equal(free.spec.ports?.[0]?.nodePort, 30001);
    } finally { await t.close(); }
  });

  test('update keeps the IP and node ports when left out, refuses a new clusterIP, and frees a dropped node port', () => withTestApi(async ({ api }) => {
    const a = await api.create('services', svc('a', { type: 'NodePort' }, [{ port: 80, nodePort: 30100 }]));
    const { clusterIP: _ip, clusterIPs: _ips, ...rest } = a.spec;
    const kept = await api.update<Service>('services', { ...a, spec: { ...rest, ports: [{ port: 80 }] } });
    assert.equal(kept.spec.clusterIP, a.spec.clusterIP);
    assert.equal(kept.spec.ports?.[0]?.nodePort, 30100);
    const changed = await causesOf(api.update('services', { ...kept, spec: { ...kept.spec, clusterIP: '10.43.9.9', clusterIPs: ['10.43.9.9'] } }));
    assert.match(changed.join(), /spec\.clusterIP: .*field is immutable/);
    const moved = await api.update('services', { ...kept, spec: { ...kept.spec, ports: [{ port: 80, nodePort: 30101 }] } });
    assert.equal(moved.spec.ports?.[0]?.nodePort, 30101);
    const other = await api.create('services', svc('b', { type: 'NodePort' }, [{ port: 80, nodePort: 30100 }]));
    assert.equal(other.spec.ports?.[0]?.nodePort, 30100);
    const asClusterIP = await api.update<Service>('services', { ...moved, spec: { ...moved.spec, type: 'ClusterIP', ports: [{ port: 80 }] } });
    assert.equal(asClusterIP.spec.ports?.[0]?.nodePort, undefined);
    const reuse = await api.create('services', svc('c', { type: 'NodePort' }, [{ port: 80, nodePort: 30101 }]));
    assert.equal(reuse.spec.ports?.[0]?.nodePort, 30101);
  }));

  test('ports: names required with several, targetPort a number or a port name', () => withTestApi(async ({ api }) => {
    const unnamed = await causesOf(api.create('services', svc('a', {}, [{ port: 80 }, { port: 443 }])));
    assert.match(unnamed.join(), /spec\.ports\[0\]\.name: Required/);
    const badTarget = await causesOf(api.create('services', svc('b', {}, [{ port: 80, targetPort: 'Not_A_Name' }])));
    assert.match(badTarget.join(), /spec\.ports\[0\]\.targetPort/);
    const named = await api.create('services', svc('c', { sessionAffinity: 'ClientIP' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
    assert.equal(named.spec.ports?.[0]?.targetPort, 'http');
    assert.equal(named.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds, 10800);
  }));
});
