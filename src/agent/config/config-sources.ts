/**
 * ConfigMaps and Secrets as a container sees them: env values (valueFrom, envFrom) and volume files,
 * read when the container is created (the agent reads its watched cache, config-cache.ts). A missing
 * non-optional reference is a ContainerConfigError (CreateContainerConfigError, retried), as the
 * kubelet reports it.
 */
import { ApiError } from '../../api/errors.js';
import type { ApiObject } from '../../api/meta.js';
import type { Container, EnvVar, Pod } from '../../api/pod.js';
import type { ConfigMap, Secret } from '../../api/schema/config.js';
import type { ApiClient } from '../../client/types.js';
import { ContainerConfigError } from '../container/container-config.js';

/** Where ConfigMaps and Secrets are read (the node's ConfigCache, or any API client). */
export type ConfigReader = Pick<ApiClient, 'get'>;

/** One source's keys as raw bytes; undefined when it is missing and optional. */
export type SourceData = Map<string, Buffer>;

/** Reads each ConfigMap/Secret once per container start. */
export class ConfigSources {
  private readonly cache = new Map<string, Promise<SourceData | undefined>>();
  constructor(private readonly api: ConfigReader, private readonly namespace: string) {}

  /** The keys of a ConfigMap ('configmaps') or Secret ('secrets'); throws when missing and not optional. */
  async read(resource: 'configmaps' | 'secrets', name: string, optional: boolean): Promise<SourceData | undefined> {
    const key = `${resource}/${name}`;
    let p = this.cache.get(key);
    if (!p) { p = this.fetch(resource, name); this.cache.set(key, p); }
    const data = await p;
    if (data === undefined && !optional) throw new ContainerConfigError(`${resource === 'secrets' ? 'secret' : 'configmap'} "${name}" not found`);
    return data;
  }

  private async fetch(resource: 'configmaps' | 'secrets', name: string): Promise<SourceData | undefined> {
    let obj: ConfigMap | Secret;
    try {
      obj = await this.api.get<ApiObject & (ConfigMap | Secret)>(resource, name, this.namespace);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NotFound') return undefined;
      throw new ContainerConfigError(`cannot read ${resource === 'secrets' ? 'secret' : 'configmap'} "${name}": ${(e as Error).message}`);
    }
    const out: SourceData = new Map();
    if (obj.kind === 'Secret' || resource === 'secrets') {
      for (const [k, v] of Object.entries(obj.data ?? {})) out.set(k, Buffer.from(v, 'base64'));
    } else {
      const cm = obj as ConfigMap;
      for (const [k, v] of Object.entries(cm.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
      for (const [k, v] of Object.entries(cm.binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
    }
    return out;
  }
}

const kindWord = (r: 'configmaps' | 'secrets'): string => (r === 'secrets' ? 'Secret' : 'ConfigMap');

/** The container's env list with envFrom expanded first and every valueFrom resolved (Kubernetes' order). */
export async function resolveEnv(c: Container, sources: ConfigSources, namespace: string): Promise<EnvVar[]> {
  const out: EnvVar[] = [];
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const resource = from.configMapRef ? 'configmaps' : 'secrets';
    const data = await sources.read(resource, ref.name, ref.optional ?? false);
    // The kubelet skips keys that are not valid variable names (and records an event).
    for (const [k, v] of data ?? []) if (/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(`${from.prefix ?? ''}${k}`)) out.push({ name: `${from.prefix ?? ''}${k}`, value: v.toString('utf8') });
  }
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
    if (!ref) { out.push({ name: e.name, value: e.value }); continue; }
    const resource = e.valueFrom?.configMapKeyRef ? 'configmaps' : 'secrets';
    const optional = ref.optional ?? false;
    const data = await sources.read(resource, ref.name, optional);
    const value = data?.get(ref.key);
    if (value === undefined) {
      if (optional) continue;
      throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kindWord(resource)} ${namespace}/${ref.name}`);
    }
    out.push({ name: e.name, value: value.toString('utf8') });
  }
  return out;
}

/** The files of a configMap/secret volume: relative path -> (bytes, mode). */
export async function volumeFiles(pod: Pod, volumeName: string, sources: ConfigSources): Promise<Map<string, { data: Buffer; mode: number }>> {
  const vol = (pod.spec.volumes ?? []).find((v) => v.name === volumeName);
  const src = vol?.configMap ?? vol?.secret;
  const files = new Map<string, { data: Buffer; mode: number }>();
  if (!vol || !src) return files;
  const resource = vol.configMap ? 'configmaps' : 'secrets';
  const name = vol.configMap?.name ?? vol.secret?.secretName ?? '';
  const optional = src.optional ?? false;
  const data = await sources.read(resource, name, optional);
  if (!data) return files;
  const mode = src.defaultMode ?? 0o644;
  if (src.items === undefined) {
    for (const [k, v] of data) files.set(k, { data: v, mode });
    return files;
  }
  for (const it of src.items) {
    const v = data.get(it.key);
    if (v === undefined) {
      if (optional) continue;
      throw new ContainerConfigError(`configmap references non-existent config key: ${it.key} (${kindWord(resource)} ${pod.metadata.namespace ?? 'default'}/${name})`);
    }
    files.set(it.path, { data: v, mode: it.mode ?? mode });
  }
  return files;
}
