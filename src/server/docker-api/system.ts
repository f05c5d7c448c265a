/** System routes: _ping, version, info, events. */
import os from 'node:os';
import type { Pod } from '../../api/pod.js';
import { sendJson } from './http-util.js';
import { containerId, containerName, nodePods } from './context.js';
import { dockerState } from './container-state.js';
import { dockerLabels } from './container-create.js';
import type { DockerRequest, DockerRoute } from './route.js';

/** The newest Engine API version served; clients above it negotiate down to it. */
export const API_VERSION = '1.47';
/** The oldest one. */
export const MIN_API_VERSION = '1.24';

/** Headers every answer carries, as dockerd sends them. */
export function engineHeaders(version: string): Record<string, string> {
  return { 'api-version': API_VERSION, 'docker-experimental': 'false', ostype: 'linux', server: `Lantern/${version} (linux)`, 'builder-version': '1' };
}

async function ping(r: DockerRequest): Promise<void> {
  r.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache, no-store, must-revalidate', pragma: 'no-cache' });
  r.res.end(r.req.method === 'HEAD' ? undefined : 'OK');
}

const goArch = (): string => ({ x64: 'amd64', arm64: 'arm64', arm: 'arm' } as Record<string, string>)[process.arch] ?? process.arch;

async function version(r: DockerRequest): Promise<void> {
  const v = r.ctx.version;
  const details = { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: 'linux', Arch: goArch(), KernelVersion: os.release(), GitCommit: '', GoVersion: `node${process.versions.node}`, BuildTime: '', Experimental: 'false' };
  sendJson(r.res, 200, {
    Platform: { Name: 'Lantern' },
    Components: [{ Name: 'Engine', Version: v, Details: details }],
    Version: v, ...details, Experimental: false,
  });
}

async function info(r: DockerRequest): Promise<void> {
  const pods = await nodePods(r.ctx);
  const states = pods.map((p) => dockerState(p).Status);
  const images = new Set((await r.ctx.node.listImages()).map((i) => i.id));
  sendJson(r.res, 200, {
    ID: r.ctx.nodeName, Name: r.ctx.nodeName,
    Containers: pods.length, ContainersRunning: states.filter((s) => s === 'running').length, ContainersPaused: 0,
    ContainersStopped: states.filter((s) => s !== 'running').length, Images: images.size,
    Driver: 'overlay', DriverStatus: [], Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'null'], Log: ['json-file'] },
    MemoryLimit: true, SwapLimit: false, CpuCfsPeriod: true, CpuCfsQuota: true, CPUShares: true, PidsLimit: true, IPv4Forwarding: true,
    Debug: false, NFd: 0, NGoroutines: 0, SystemTime: new Date().toISOString(), LoggingDriver: 'json-file', CgroupDriver: 'cgroupfs', CgroupVersion: '1',
    KernelVersion: os.release(), OperatingSystem: `Lantern ${r.ctx.version}`, OSVersion: '', OSType: 'linux', Architecture: os.machine(),
    NCPU: os.cpus().length, MemTotal: os.totalmem(), IndexServerAddress: 'https://index.docker.io/v1/', DockerRootDir: r.ctx.dataDir,
    Labels: [], ExperimentalBuild: false, ServerVersion: r.ctx.version, Runtimes: { runc: { path: 'runc' } }, DefaultRuntime: 'runc',
    Swarm: { LocalNodeState: 'inactive', NodeID: '', NodeAddr: '', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true, Isolation: '', InitBinary: '', SecurityOptions: ['name=seccomp,profile=builtin', 'name=apparmor'], Warnings: [],
  });
}

/** A container event of Docker's shape. */
function event(pod: Pod, action: string, extra: Record<string, string> = {}): string {
  const now = Date.now();
  const attributes = { ...dockerLabels(pod), image: pod.spec.containers[0]?.image ?? '', name: containerName(pod), ...extra };
  const id = containerId(pod);
  return `${JSON.stringify({ status: action, id, from: attributes.image, Type: 'container', Action: action, Actor: { ID: id, Attributes: attributes }, scope: 'local', time: Math.floor(now / 1000), timeNano: now * 1e6 })}\n`;
}

/** GET /events: the node's container events (create, start, die, destroy) from now until the client leaves. */
async function events(r: DockerRequest): Promise<void> {
  r.res.writeHead(200, { 'content-type': 'application/json' });
  r.res.flushHeaders();
  const until = Number(r.query.get('until') ?? '0');
  if (until > 0 && until * 1000 <= Date.now()) { r.res.end(); return; }
  const seen = new Map<string, string>();
  const list = await r.ctx.api.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${r.ctx.nodeName}` });
  for (const p of list.items) seen.set(p.metadata.uid ?? '', dockerState(p).Status);
  const w = r.ctx.api.watch<Pod>('pods', undefined, { resourceVersion: list.metadata?.resourceVersion, fieldSelector: `spec.nodeName=${r.ctx.nodeName}`, readOnly: true }, (ev) => {
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
    const pod = ev.object;
    const uid = pod.metadata.uid ?? '';
    const before = seen.get(uid);
    if (ev.type === 'DELETED') {
      seen.delete(uid);
      if (before === 'running') r.res.write(event(pod, 'die', { exitCode: String(dockerState(pod).ExitCode) }));
      r.res.write(event(pod, 'destroy'));
      return;
    }
    const st = dockerState(pod);
    seen.set(uid, st.Status);
    if (before === undefined) r.res.write(event(pod, 'create'));
    // A short command may go from created to exited between two status writes: it still started and died.
    const ran = st.Status === 'running' || (st.Status === 'exited' && (before === undefined || before === 'created'));
    if (ran && before !== 'running') r.res.write(event(pod, 'start'));
    if (st.Status === 'exited' && before !== 'exited') r.res.write(event(pod, 'die', { exitCode: String(st.ExitCode) }));
  });
  const timer = until > 0 ? setTimeout(() => w.stop(), until * 1000 - Date.now()) : undefined;
  r.signal.addEventListener('abort', () => w.stop());
  await w.done.catch(() => undefined);
  if (timer) clearTimeout(timer);
  r.res.end();
}

/** The system routes. */
export const systemRoutes: DockerRoute[] = [
  { method: 'GET', pattern: /^\/_ping$/, handler: ping },
  { method: 'HEAD', pattern: /^\/_ping$/, handler: ping },
  { method: 'GET', pattern: /^\/version$/, handler: version },
  { method: 'GET', pattern: /^\/info$/, handler: info },
  { method: 'GET', pattern: /^\/events$/, handler: events },
];
