import https from 'node:https';
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
 * Ask for a node's tunnel upgrade with TOKEN (as `lanternd agent` does): status 101 when granted (the
 * socket is closed again at once), else the error's status, body and message.
 */
export function dialTunnel(server: TestServer, node: string, token: string): Promise<{ status: number; body: string; message: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(`/apis/lantern.dev/v1/nodes/${node}/tunnel`, server.url), {
      ca: server.ca, agent: false, headers: { authorization: `Bearer ${token}`, connection: 'Upgrade', upgrade: 'lantern-tunnel' },
    });
    req.on('upgrade', (_res, socket) => { socket.destroy(); resolve({ status: 101, body: '', message: '' }); });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, message: messageOf(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function messageOf(body: string): string {
  try { return (JSON.parse(body) as { message?: string }).message ?? body; } catch { return body; }
}
