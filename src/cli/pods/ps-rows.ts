/** The rows of `lcctl ps`: one per container, with Docker's filters and JSON keys. */
import type { Pod } from '../../api/pod.js';
import { UsageError } from '../errors.js';
import { dockerAgo, dockerTimestamp } from '../output/durations.js';
import { containerViews, dockerCommand, dockerPorts, dockerState, dockerStatus, type DockerState } from './status.js';

/** One ps row with Docker's `--format json` keys. */
export interface PsRow {
  ID: string;
  Image: string;
  Command: string;
  CreatedAt: string;
  RunningFor: string;
  Status: string;
  State: DockerState;
  Ports: string;
  Names: string;
  Labels: string;
  Mounts: string;
  LocalVolumes: string;
  Networks: string;
  Namespace: string;
}

/** A parsed --filter key=value. */
export interface PsFilter { key: 'label' | 'name' | 'status' | 'id' | 'ancestor'; value: string }

const statuses = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

/** Parse docker's --filter values. */
export function parseFilters(raw: string[]): PsFilter[] {
  return raw.map((f) => {
    const eq = f.indexOf('=');
    const key = eq < 0 ? f : f.slice(0, eq);
    const value = eq < 0 ? '' : f.slice(eq + 1);
    if (!['label', 'name', 'status', 'id', 'ancestor'].includes(key)) throw new UsageError(`invalid filter '${key}' (supported: label, name, status, id, ancestor)`);
    if (eq < 0 || value === '') throw new UsageError(`bad format of filter (expected name=value): ${f}`);
    if (key === 'status' && !statuses.includes(value)) throw new UsageError(`invalid filter 'status=${value}' (one of ${statuses.join(', ')})`);
    return { key: key as PsFilter['key'], value };
  });
}

function matches(row: PsRow, pod: Pod, f: PsFilter): boolean {
  switch (f.key) {
    case 'status': return row.State === f.value;
    case 'name': return row.Names.includes(f.value);
    case 'id': return row.ID.startsWith(f.value.toLowerCase());
    case 'ancestor': return row.Image === f.value || row.Image.split(':')[0] === f.value;
    case 'label': {
      const eq = f.value.indexOf('=');
      const labels = pod.metadata.labels ?? {};
      return eq < 0 ? f.value in labels : labels[f.value.slice(0, eq)] === f.value.slice(eq + 1);
    }
  }
}

/** Build, filter and sort (newest first) the rows for a set of pods. */
export function psRows(pods: Pod[], opts: { all: boolean; noTrunc: boolean; filters: PsFilter[] }, now: number): PsRow[] {
  const rows: PsRow[] = [];
  const sorted = [...pods].sort((a, b) => Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? ''));
  for (const pod of sorted) {
    for (const v of containerViews(pod, opts.noTrunc)) {
      const state = dockerState(pod, v.status);
      const row: PsRow = {
        ID: v.id,
        Image: v.container.image,
        Command: dockerCommand(v.container, opts.noTrunc),
        CreatedAt: dockerTimestamp(pod.metadata.creationTimestamp),
        RunningFor: dockerAgo(pod.metadata.creationTimestamp, now),
        Status: dockerStatus(pod, v.status, now),
        State: state,
        Ports: dockerPorts(pod),
        Names: v.name,
        Labels: Object.entries(pod.metadata.labels ?? {}).map(([k, val]) => `${k}=${val}`).join(','),
        Mounts: (v.container.volumeMounts ?? []).map((m) => m.name).join(','),
        LocalVolumes: String((pod.spec.volumes ?? []).filter((vol) => vol.persistentVolumeClaim || vol.emptyDir).length),
        Networks: pod.spec.networkMode ?? (pod.spec.hostNetwork ? 'host' : 'bridge'),
        Namespace: pod.metadata.namespace ?? 'default',
      };
      const hasStatusFilter = opts.filters.some((f) => f.key === 'status');
      const live = state === 'running' || state === 'restarting' || (state === 'removing' && v.status?.state.running !== undefined);
      if (!opts.all && !hasStatusFilter && !live) continue;
      // Filters with the same key are alternatives; different keys must all match.
      const byKey = new Map<string, PsFilter[]>();
      for (const f of opts.filters) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
      if ([...byKey.values()].every((group) => group.some((f) => matches(row, pod, f)))) rows.push(row);
    }
  }
  return rows;
}
