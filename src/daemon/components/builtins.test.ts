import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOrder } from './resolve.js';
import { serverBuiltins } from './server-builtins.js';
import { agentBuiltins } from './agent-builtins.js';
import { simBuiltins } from './sim-builtins.js';
import { serverConfigFromArgs, type ServerConfig } from '../server-config.js';
import type { AgentConfig } from '../agent-config.js';
import type { SimConfig } from '../sim-config.js';

const server = (args: string[], env: NodeJS.ProcessEnv = {}): ServerConfig => {
  const config = serverConfigFromArgs(['--data-dir', '/tmp/lantern-builtins-test', ...args], env);
  assert.ok(config);
  return config;
};
const order = (config: ServerConfig): string[] => startOrder(serverBuiltins, config).map((c) => c.key.id);

describe('what lanternd is made of', () => {
  test('lanternd server: the store first, the HTTP server before the controllers and the node, the mirror last', () => {
    assert.deepEqual(order(server([])), [
      'store', 'metrics', 'last-resort', 'secrets-encryption', 'api', 'compactor', 'system-priority-classes', 'nodes', 'security', 'credentials',
      'store-health', 'registry', 'registry-gc', 'informers', 'rbac', 'api-server', 'kubernetes-service', 'admin-config', 'leader-election', 'scheduler',
      'node-lifecycle-controller', 'job-controller', 'workflow-controller', 'replicaset-controller', 'deployment-controller',
      'hpa-controller', 'queue-controller', 'event-ttl-controller', 'endpointslice-controller', 'persistentvolume-controller', 'pvc-protection-controller', 'statefulset-controller', 'daemonset-controller', 'cronjob-controller', 'namespace-controller', 'serviceaccount-controller', 'resourcequota-controller', 'node-ipam-controller', 'node', 'pod-network', 'service-proxy', 'registry-mirror', 'snapshots',
    ]);
  });

  test('flags switch parts on and off: --no-agent, --registry-gc-interval 0, --audit-log-path, --metrics-listen', () => {
    const ids = order(server(['--no-agent', '--registry-gc-interval', '0', '--audit-log-path', '-', '--metrics-listen', '127.0.0.1:0']));
    for (const off of ['node', 'pod-network', 'service-proxy', 'registry-mirror', 'registry-gc']) assert.ok(!ids.includes(off), off);
    assert.ok(ids.indexOf('audit-log') < ids.indexOf('api-server'), 'the audit log opens before the HTTP server that writes to it');
    assert.ok(ids.includes('metrics-listener'));
  });

  test('the config comes from flags and the environment the entry point hands in, not from process.env', () => {
    const config = server(['--insecure-registry', 'reg.lan:5000'], { LANTERN_INSECURE_REGISTRIES: 'old.lan' });
    assert.deepEqual(config.node?.insecureRegistries, ['old.lan', 'reg.lan:5000']);
    assert.deepEqual([config.node?.cc, config.node?.trace], ['cc', false]);
    const traced = server([], { CC: 'clang', LANTERN_TRACE: '1' });
    assert.deepEqual([traced.node?.cc, traced.node?.trace], ['clang', true]);
    assert.equal(server(['--no-agent']).node, undefined);
  });

  test('lanternd agent and lanternd sim', () => {
    const agent: AgentConfig = {
      server: 'https://127.0.0.1:6443', token: 't', metricsListen: undefined, serverRegistry: true,
      node: { nodeName: 'edge-1', dataDir: '/tmp/x', labels: {}, bridge: undefined, heartbeatMs: 10_000, insecureRegistries: [], cc: 'cc', trace: false },
    };
    assert.deepEqual(startOrder(agentBuiltins, agent).map((c) => c.key.id), ['last-resort', 'join', 'node', 'pod-network', 'tunnel', 'service-proxy']);
    assert.deepEqual(startOrder(agentBuiltins, { ...agent, metricsListen: '127.0.0.1:0' }).map((c) => c.key.id), ['last-resort', 'join', 'node', 'pod-network', 'tunnel', 'metrics-listener', 'service-proxy']);
    const sim = { server: 'http://x', token: 't', count: 1 } as SimConfig;
    assert.deepEqual(startOrder(simBuiltins, sim).map((c) => c.key.id), ['sim-nodes']);
  });
});
