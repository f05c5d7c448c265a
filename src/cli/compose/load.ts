/** Read a Compose file into the normalised model; keys Lantern does not carry become warnings. */
import path from 'node:path';
import { parse } from 'yaml';
import type { ComposeFileRef, ComposeFileSource, ComposeMount, ComposePort, ComposeProject, ComposeService } from './model.js';
import { cpuQuantity, durationSeconds, memoryQuantity, parseEnvFile, splitCommand, stringMap } from './values.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How files named in the Compose file are read (relative to the file's folder); a test passes its own. */
export interface LoadOptions { dir: string; project?: string; env?: Record<string, string | undefined>; read: (file: string) => string }

/** Thrown for a file that cannot be a Compose project; the message names the key. */
export class ComposeError extends Error {}

const serviceKeys = new Set(['image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'volumes', 'depends_on',
  'healthcheck', 'restart', 'user', 'working_dir', 'labels', 'networks', 'configs', 'secrets', 'deploy', 'expose']);
const deployKeys = new Set(['replicas', 'resources', 'placement', 'update_config', 'mode']);

/** Replace ${VAR}, ${VAR:-default}, ${VAR-default} and $VAR in every string, as Compose does ($$ is a $). */
function interpolate(v: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof v === 'string') {
    return v.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name?: string, colon?: string, def?: string, bare?: string) => {
      if (m === '$$') return '$';
      const key = name ?? bare!;
      const val = env[key];
      if (def !== undefined && (val === undefined || (colon === ':' && val === ''))) return def;
      return val ?? '';
    });
  }
  if (Array.isArray(v)) return v.map((x) => interpolate(x, env));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolate(x, env)]));
  return v;
}

/** Compose's project name rule: lower case letters, digits, dashes and underscores (here: a DNS label). */
export function projectName(raw: string): string {
  const n = raw.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  if (n === '') throw new ComposeError(`project name ${JSON.stringify(raw)} has no letters or digits: give one with -p NAME`);
  return n;
}

/** Parse and normalise a Compose file's text. */
export function loadCompose(text: string, opts: LoadOptions): ComposeProject {
  const doc = interpolate(parse(text) as unknown, opts.env ?? {});
  if (!isObj(doc) || !isObj(doc.services)) throw new ComposeError('the file has no services: a Compose file needs a top-level "services:" mapping');
  const warnings: string[] = [];
  for (const k of Object.keys(doc)) if (!['version', 'name', 'services', 'volumes', 'networks', 'configs', 'secrets'].includes(k)) warnings.push(`top-level key "${k}" is not supported and was ignored`);
  const name = projectName(opts.project ?? (typeof doc.name === 'string' ? doc.name : path.basename(opts.dir)));
  const sources = (kind: 'configs' | 'secrets'): ComposeFileSource[] => Object.entries(isObj(doc[kind]) ? doc[kind] : {}).map(([n, def]) => {
    const d = isObj(def) ? def : {};
    if (typeof d.file === 'string') return { name: n, content: opts.read(path.resolve(opts.dir, d.file)) };
    if (typeof d.content === 'string') return { name: n, content: d.content };
    if (typeof d.environment === 'string') return { name: n, content: opts.env?.[d.environment] ?? '' };
    throw new ComposeError(`${kind}.${n}: expected "file:", "content:" or "environment:" (external ${kind} are not supported)`);
  });
  const services = Object.entries(doc.services).map(([n, s]) => loadService(n, isObj(s) ? s : {}, opts, warnings));
  const known = new Set(services.map((s) => s.name));
  for (const s of services) {
    for (const dep of Object.keys(s.dependsOn)) if (!known.has(dep)) throw new ComposeError(`services.${s.name}.depends_on: no service named "${dep}"`);
  }
  return {
    name, services, warnings,
    volumes: Object.keys(isObj(doc.volumes) ? doc.volumes : {}),
    networks: Object.keys(isObj(doc.networks) ? doc.networks : {}),
    configs: sources('configs'), secrets: sources('secrets'),
  };
}

function loadService(name: string, s: Obj, opts: LoadOptions, warnings: string[]): ComposeService {
  const at = `services.${name}`;
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) throw new ComposeError(`${at}: a service name must be a DNS label (lower case letters, digits and "-") because it becomes a Service name`);
  for (const k of Object.keys(s)) if (!serviceKeys.has(k)) warnings.push(`${at}.${k} is not supported and was ignored`);
  const build = typeof s.build === 'string' ? { context: s.build } : isObj(s.build) ? { context: String(s.build.context ?? '.'), ...(typeof s.build.dockerfile === 'string' ? { dockerfile: s.build.dockerfile } : {}) } : undefined;
  if (typeof s.image !== 'string' && !build) throw new ComposeError(`${at}: needs "image:" or "build:"`);
  const environment: Record<string, string> = {};
  const envFiles = s.env_file === undefined ? [] : Array.isArray(s.env_file) ? s.env_file : [s.env_file];
  for (const f of envFiles) {
    const file = isObj(f) ? String(f.path) : String(f);
    Object.assign(environment, parseEnvFile(opts.read(path.resolve(opts.dir, file))));
  }
  Object.assign(environment, stringMap(s.environment));
  const command = splitCommand(s.command);
  const entrypoint = splitCommand(s.entrypoint);
  const svc: ComposeService = {
    name,
    image: typeof s.image === 'string' ? s.image : `${projectName(opts.project ?? path.basename(opts.dir))}-${name}:latest`,
    environment,
    ports: (Array.isArray(s.ports) ? s.ports : []).map((p, i) => parsePort(p, `${at}.ports[${i}]`)),
    volumes: (Array.isArray(s.volumes) ? s.volumes : []).map((v, i) => parseMount(v, `${at}.volumes[${i}]`, opts.dir)),
    dependsOn: parseDependsOn(s.depends_on),
    labels: stringMap(s.labels),
    networks: Array.isArray(s.networks) ? s.networks.map(String) : Object.keys(isObj(s.networks) ? s.networks : {}),
    configs: fileRefs(s.configs, (src) => `/${src}`),
    secrets: fileRefs(s.secrets, (src) => `/run/secrets/${src}`),
    deploy: { constraints: [] },
  };
  if (build) svc.build = build;
  if (command) svc.command = command;
  if (entrypoint) svc.entrypoint = entrypoint;
  if (typeof s.restart === 'string') svc.restart = s.restart;
  if (s.user !== undefined) svc.user = String(s.user);
  if (typeof s.working_dir === 'string') svc.workingDir = s.working_dir;
  if (isObj(s.healthcheck) && s.healthcheck.disable !== true) {
    const h = s.healthcheck;
    const t = typeof h.test === 'string' ? ['CMD-SHELL', h.test] : Array.isArray(h.test) ? h.test.map(String) : [];
    if (t[0] !== 'NONE' && t.length > 0) {
      const test = t[0] === 'CMD' ? t.slice(1) : t[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', t.slice(1).join(' ')] : t;
      svc.healthcheck = { test };
      const set = (k: 'interval' | 'timeout' | 'startPeriod', v: unknown): void => { const d = durationSeconds(v); if (d !== undefined) svc.healthcheck![k] = d; };
      set('interval', h.interval); set('timeout', h.timeout); set('startPeriod', h.start_period);
      if (typeof h.retries === 'number') svc.healthcheck.retries = h.retries;
      for (const k of Object.keys(h)) if (!['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'].includes(k)) warnings.push(`${at}.healthcheck.${k} is not supported and was ignored`);
    }
  }
  if (isObj(s.deploy)) loadDeploy(svc, s.deploy, `${at}.deploy`, warnings);
  return svc;
}

function loadDeploy(svc: ComposeService, d: Obj, at: string, warnings: string[]): void {
  for (const k of Object.keys(d)) if (!deployKeys.has(k)) warnings.push(`${at}.${k} is not supported and was ignored`);
  if (d.mode !== undefined && d.mode !== 'replicated') warnings.push(`${at}.mode ${String(d.mode)} is not supported (services are replicated) and was ignored`);
  if (typeof d.replicas === 'number') svc.deploy.replicas = d.replicas;
  const res = isObj(d.resources) ? d.resources : {};
  for (const which of ['limits', 'reservations'] as const) {
    const r = res[which];
    if (!isObj(r)) continue;
    const cpus = cpuQuantity(r.cpus);
    const memory = memoryQuantity(r.memory);
    svc.deploy[which] = { ...(cpus ? { cpus } : {}), ...(memory ? { memory } : {}) };
    for (const k of Object.keys(r)) if (k !== 'cpus' && k !== 'memory') warnings.push(`${at}.resources.${which}.${k} is not supported and was ignored`);
  }
  if (isObj(d.placement)) {
    svc.deploy.constraints = Array.isArray(d.placement.constraints) ? d.placement.constraints.map(String) : [];
    for (const k of Object.keys(d.placement)) if (k !== 'constraints') warnings.push(`${at}.placement.${k} is not supported and was ignored`);
  }
  if (isObj(d.update_config)) {
    const u = d.update_config;
    svc.deploy.updateConfig = {
      ...(typeof u.parallelism === 'number' ? { parallelism: u.parallelism } : {}),
      ...(u.order === 'start-first' || u.order === 'stop-first' ? { order: u.order } : {}),
    };
    for (const k of Object.keys(u)) if (k !== 'parallelism' && k !== 'order') warnings.push(`${at}.update_config.${k} is not supported and was ignored`);
  }
}

function parsePort(p: unknown, at: string): ComposePort {
  if (typeof p === 'number') return { target: p, protocol: 'TCP' };
  if (isObj(p)) {
    const port: ComposePort = { target: Number(p.target), protocol: String(p.protocol ?? 'tcp').toUpperCase() === 'UDP' ? 'UDP' : 'TCP' };
    if (p.published !== undefined) port.published = Number(p.published);
    if (typeof p.host_ip === 'string') port.hostIp = p.host_ip;
    if (!Number.isInteger(port.target)) throw new ComposeError(`${at}.target: expected a port number`);
    return port;
  }
  const m = /^(?:(?:\[?([\d.:a-fA-F]+)\]?:)?(\d+)?:)?(\d+)(?:\/(tcp|udp))?$/.exec(String(p));
  if (!m) throw new ComposeError(`${at}: ${JSON.stringify(p)} is not a port: expected CONTAINER, HOST:CONTAINER or IP:HOST:CONTAINER[/udp] (port ranges are not supported)`);
  const port: ComposePort = { target: Number(m[3]), protocol: m[4] === 'udp' ? 'UDP' : 'TCP' };
  if (m[2] !== undefined) port.published = Number(m[2]);
  if (m[1] !== undefined) port.hostIp = m[1];
  return port;
}

function parseMount(v: unknown, at: string, dir: string): ComposeMount {
  const isPath = (s: string): boolean => s.startsWith('/') || s.startsWith('.') || s.startsWith('~');
  const abs = (s: string): string => (s.startsWith('~') ? path.join(process.env.HOME ?? '/', s.slice(1)) : path.resolve(dir, s));
  if (isObj(v)) {
    const type = v.type === 'bind' || v.type === 'tmpfs' ? v.type : 'volume';
    if (typeof v.target !== 'string') throw new ComposeError(`${at}.target: expected a path in the container`);
    const m: ComposeMount = { type, target: v.target, readOnly: v.read_only === true };
    if (typeof v.source === 'string') m.source = type === 'bind' ? abs(v.source) : v.source;
    return m;
  }
  const parts = String(v).split(':');
  if (parts.length === 1) return { type: 'volume', target: parts[0]!, readOnly: false };
  const [src, target, mode] = parts as [string, string, string | undefined];
  const readOnly = (mode ?? '').split(',').includes('ro');
  return isPath(src) ? { type: 'bind', source: abs(src), target, readOnly } : { type: 'volume', source: src, target, readOnly };
}

function parseDependsOn(v: unknown): ComposeService['dependsOn'] {
  const out: ComposeService['dependsOn'] = {};
  if (Array.isArray(v)) for (const n of v) out[String(n)] = 'service_started';
  else if (isObj(v)) {
    for (const [n, c] of Object.entries(v)) {
      const cond = isObj(c) ? c.condition : undefined;
      out[n] = cond === 'service_healthy' || cond === 'service_completed_successfully' ? cond : 'service_started';
    }
  }
  return out;
}

function fileRefs(v: unknown, defaultTarget: (source: string) => string): ComposeFileRef[] {
  if (!Array.isArray(v)) return [];
  return v.map((r) => {
    if (!isObj(r)) return { source: String(r), target: defaultTarget(String(r)) };
    const source = String(r.source);
    const target = typeof r.target === 'string' ? (r.target.startsWith('/') ? r.target : defaultTarget(r.target)) : defaultTarget(source);
    return { source, target, ...(typeof r.mode === 'number' ? { mode: r.mode } : {}) };
  });
}
