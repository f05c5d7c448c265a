/** The OCI image config a build edits step by step, and its identity. */
import { createHash } from 'node:crypto';
import type { ImageRunConfig } from '../image/types.js';

/** One history entry (what `docker history` shows). */
export interface HistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** The container config part, with what Docker keeps beyond ImageRunConfig. */
export interface BuildRunConfig extends ImageRunConfig {
  Volumes?: Record<string, object>;
  Shell?: string[];
}

/** A full OCI image config. */
export interface OciImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config: BuildRunConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
}

/** A layer of a build state: where its blob and unpacked tree are is looked up by digest/diffId. */
export interface LayerRef {
  diffId: string;
  digest: string;
  size: number;
  mediaType: string;
}

/** The image after a step: its config and layers; id is the config digest. */
export interface BuildState {
  config: OciImageConfig;
  layers: LayerRef[];
}

/** The config's bytes as stored (the ID is their sha256). */
export function configBytes(config: OciImageConfig): Buffer {
  return Buffer.from(JSON.stringify(config));
}

/** The image ID of a state: "sha256:<config digest>". */
export function stateId(state: BuildState): string {
  return `sha256:${createHash('sha256').update(configBytes(state.config)).digest('hex')}`;
}

/** The empty image FROM scratch starts with. */
export function scratchState(architecture: string, os = 'linux'): BuildState {
  return { config: { architecture, os, config: {}, rootfs: { type: 'layers', diff_ids: [] }, history: [] }, layers: [] };
}

/** A copy of state with config changes, a history entry, and maybe a new layer. */
export function nextState(state: BuildState, createdBy: string, change: (c: BuildRunConfig) => void, layer?: LayerRef): BuildState {
  const created = new Date().toISOString();
  const config: OciImageConfig = JSON.parse(JSON.stringify(state.config)) as OciImageConfig;
  change(config.config);
  config.created = created;
  config.history = [...(config.history ?? []), { created, created_by: createdBy, ...(layer ? {} : { empty_layer: true }) }];
  if (layer) config.rootfs.diff_ids = [...config.rootfs.diff_ids, layer.diffId];
  return { config, layers: layer ? [...state.layers, layer] : state.layers };
}

/** Sets KEY=VALUE in an Env list, replacing an earlier value. */
export function setEnv(env: string[] | undefined, key: string, value: string): string[] {
  const out = (env ?? []).filter((e) => !e.startsWith(`${key}=`));
  out.push(`${key}=${value}`);
  return out;
}
