/** docker ps --filter: the `filters` query (JSON map of name -> values) and matching a pod against it. */
import type { Pod } from '../../api/pod.js';
import { DockerError } from './http-util.js';
import { containerId, containerName } from './context.js';
import { dockerState } from './container-state.js';
import { dockerLabels } from './container-create.js';

/** Filter name -> accepted values (any one may match, every one for label; all names must match). */
export type Filters = Map<string, string[]>;

const KNOWN = new Set(['id', 'name', 'label', 'status', 'ancestor', 'exited', 'network', 'before', 'since']);

/** Parse `{"name":["x"]}` or the older `{"name":{"x":true}}`. */
export function parseFilters(raw: string | null): Filters {
  const out: Filters = new Map();
  if (!raw) return out;
  let v: unknown;
  try { v = JSON.parse(raw); } catch { throw new DockerError(400, `filters: not JSON: ${raw.slice(0, 100)}`); }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DockerError(400, 'filters: expected a JSON object of filter names');
  for (const [k, vals] of Object.entries(v)) {
    if (!KNOWN.has(k)) throw new DockerError(400, `invalid filter '${k}'`);
    const list = Array.isArray(vals) ? vals.map(String) : typeof vals === 'object' && vals !== null ? Object.keys(vals) : [String(vals)];
    out.set(k, list);
  }
  return out;
}

/** Does the pod pass every filter? */
export function matchesFilters(pod: Pod, filters: Filters): boolean {
  for (const [k, values] of filters) {
    // Docker: every label filter must hold; for the others one of the values is enough.
    const ok = k === 'label' ? values.every((v) => matchOne(pod, k, v)) : values.some((v) => matchOne(pod, k, v));
    if (!ok) return false;
  }
  return true;
}

function matchOne(pod: Pod, k: string, v: string): boolean {
  const st = dockerState(pod);
  switch (k) {
    case 'id': return containerId(pod).startsWith(v.toLowerCase());
    case 'name': {
      // Docker matches names as a regular expression against "/NAME"; a bad one matches literally.
      const name = `/${containerName(pod)}`;
      try { return new RegExp(v).test(name); } catch { return name.includes(v); }
    }
    case 'label': {
      const eq = v.indexOf('=');
      const labels = dockerLabels(pod);
      return eq < 0 ? v in labels : labels[v.slice(0, eq)] === v.slice(eq + 1);
    }
    case 'status': return st.Status === v;
    case 'exited': return st.Status === 'exited' && String(st.ExitCode) === v;
    case 'ancestor': {
      const image = pod.spec.containers[0]?.image ?? '';
      return image === v || image === `${v}:latest` || image.replace(/:latest$/, '') === v;
    }
    case 'network': return (pod.spec.hostNetwork ? 'host' : pod.spec.networkMode ?? 'bridge') === v;
    default: return true;
  }
}

/** Parse a filters query without checking the names (images, networks and volumes take their own). */
export function parseFiltersLoose(raw: string | null): Filters {
  const out: Filters = new Map();
  if (!raw) return out;
  let v: unknown;
  try { v = JSON.parse(raw); } catch { throw new DockerError(400, `filters: not JSON: ${raw.slice(0, 100)}`); }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DockerError(400, 'filters: expected a JSON object of filter names');
  for (const [k, vals] of Object.entries(v)) out.set(k, Array.isArray(vals) ? vals.map(String) : typeof vals === 'object' && vals !== null ? Object.keys(vals) : [String(vals)]);
  return out;
}
