import type { ChildProcess } from 'node:child_process';
import type { TestServer } from './lanternd.js';

interface NodeView { status?: { conditions?: { type: string; status: string }[] } }
interface PodView { spec: { nodeName?: string }; status?: { phase?: string } }

/** Wait until a node (a remote agent) reports Ready; agentLog() is shown if it never does. */
export async function waitNodeReady(server: TestServer, name: string, agentLog: () => string): Promise<void> {
  await server.until(`node ${name} Ready (agent log: ${agentLog()})`, async () => {
    const r = await server.api<NodeView>('GET', `/api/v1/nodes/${name}`);
    return r.status === 200 && r.body.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  }, 60_000);
}

/** Create a busybox pod pinned to a node by its hostname label, wait until it runs, return it. */
export async function runPodOn(server: TestServer, pod: string, node: string): Promise<PodView> {
  const created = await server.api('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: pod },
    spec: { nodeSelector: { 'kubernetes.io/hostname': node }, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo up; sleep 3600'] }] },
  });
  if (created.status !== 201) throw new Error(`creating pod ${pod} failed: ${created.status} ${JSON.stringify(created.body)}`);
  return server.until(`pod ${pod} Running on ${node}`, async () => {
    const r = await server.api<PodView>('GET', `/api/v1/namespaces/default/pods/${pod}`);
    return r.body.status?.phase === 'Running' ? r.body : undefined;
  }, 60_000);
}

/**
 * Tear down a remote agent a test started: delete its pods (grace 0) and wait until they are gone, so
 * the agent removes the containers, then SIGTERM the agent (SIGKILL after 5 s).
 */
export async function stopRemoteAgent(server: TestServer, agent: ChildProcess | undefined, ...pods: string[]): Promise<void> {
  if (!agent || agent.exitCode !== null || agent.signalCode !== null) return;
  for (const pod of pods) {
    await server.api('DELETE', `/api/v1/namespaces/default/pods/${pod}?gracePeriodSeconds=0`).catch(() => undefined);
    await server.until(`pod ${pod} removed`, async () => (await server.api('GET', `/api/v1/namespaces/default/pods/${pod}`)).status === 404, 20_000).catch(() => undefined);
  }
  const exited = new Promise((r) => agent.once('exit', r));
  agent.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (agent.exitCode === null) agent.kill('SIGKILL');
}
