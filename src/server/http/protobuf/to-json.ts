/**
 * A decoded Kubernetes protobuf message -> the JSON object kube-apiserver would have read, walking the
 * message's own type (protobufjs reflection) so the special types come out in their JSON forms.
 */
import type protobuf from 'protobufjs';

// Go's zero time (0001-01-01T00:00:00Z) in Unix seconds: what a zero metav1.Time marshals to.
const goZeroSeconds = -62135596800;

/** An int64 as protobufjs hands it (a Long or a number) -> a number. */
function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && v !== null && 'toNumber' in v && typeof v.toNumber === 'function') return (v.toNumber as () => number).call(v);
  return Number(v);
}

/** Fields where an empty object means something (a marker struct or a select-all selector): kept. */
const meaningfulEmpty = new Set(['emptyDir', 'podSelector', 'namespaceSelector', 'selector', 'labelSelector']);

/**
 * Numbers where a zero was set on purpose (Go pointers: *int32 replicas, *int64 runAsUser...). Any
 * other zero is a non-pointer field's zero value, which Go's JSON would have left out (omitempty) and
 * Lantern's validation would read as a value (hostPort: 0).
 */
const meaningfulZero = new Set(['replicas', 'parallelism', 'completions', 'backoffLimit', 'backoffLimitPerIndex', 'maxFailedIndexes',
  'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit',
  'startingDeadlineSeconds', 'ttlSecondsAfterFinished', 'gracePeriodSeconds', 'revisionHistoryLimit', 'runAsUser', 'runAsGroup',
  'fsGroup', 'maxUnavailable', 'maxSurge', 'partition', 'priority', 'defaultMode', 'mode', 'exitCode', 'minReadySeconds']);

/**
 * Fields Go embeds with `json:",inline"`: a message of its own in protobuf, its fields one level up
 * in JSON (a Volume's emptyDir, a Probe's exec).
 */
const inlineFields = new Set(['.k8s.io.api.core.v1.Volume.volumeSource', '.k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource',
  '.k8s.io.api.core.v1.Probe.handler', '.k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon']);

/** metav1.Time / MicroTime {seconds, nanos} -> RFC 3339, or undefined for the zero time. */
function time(msg: Record<string, unknown>, micro: boolean): string | undefined {
  const seconds = num(msg.seconds ?? 0);
  const nanos = num(msg.nanos ?? 0);
  if ((seconds === 0 && nanos === 0) || seconds === goZeroSeconds) return undefined;
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

/** A Go duration string from nanoseconds ("90s", "1.5s"), as metav1.Duration's JSON. */
function duration(nanos: number): string {
  return `${nanos / 1e9}s`;
}

/** One value of a field, by the field's type. undefined means "absent", as Go's omitempty would say. */
function value(field: protobuf.Field, v: unknown): unknown {
  const type = field.resolvedType;
  if (type === null) {
    if (field.type === 'bytes') return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : undefined;
    if (field.type === 'string') return v === '' ? undefined : v;
    if (field.type === 'bool') return v === false ? undefined : v;
    const n = /int64|fixed64/.test(field.type) ? num(v) : v;
    return n === 0 && !meaningfulZero.has(field.name) ? undefined : n;
  }
  if (!('fieldsArray' in type)) return v; // an enum: Kubernetes' protos have none
  return message(type as protobuf.Type, v as Record<string, unknown>, field.name);
}

/** A message -> its JSON form; undefined when nothing in it was set. */
export function message(type: protobuf.Type, msg: Record<string, unknown>, key = ''): unknown {
  switch (type.fullName) {
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.Time': return time(msg, false);
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': return time(msg, true);
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.Duration': return msg.duration === undefined ? undefined : duration(num(msg.duration));
    case '.k8s.io.apimachinery.pkg.api.resource.Quantity': return typeof msg.string === 'string' && msg.string !== '' ? msg.string : undefined;
    case '.k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      if (num(msg.type ?? 0) === 1) return msg.strVal ?? '';
      return msg.intVal === undefined || (num(msg.intVal) === 0 && !meaningfulZero.has(key)) ? undefined : num(msg.intVal);
    case '.k8s.io.apimachinery.pkg.runtime.RawExtension': {
      const raw = msg.raw;
      if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
      try { return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown; } catch { return undefined; }
    }
  }
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(msg, field.name)) continue;
    const v = msg[field.name];
    if (v === null || v === undefined) continue;
    let converted: unknown;
    if (field.map) {
      const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, value(field, x) ?? (field.type === 'string' ? '' : undefined)] as const);
      // A map keeps its empty-string values ("key": ""), which labels and data may hold.
      const kept = entries.filter(([, x]) => x !== undefined);
      converted = kept.length === 0 ? undefined : Object.fromEntries(kept);
    } else if (field.repeated) {
      const items = (v as unknown[]).map((x) => value(field, x) ?? (field.resolvedType === null ? x : {}));
      converted = items.length === 0 ? undefined : items;
    } else {
      converted = value(field, v);
    }
    if (converted === undefined) continue;
    if (inlineFields.has(`${type.fullName}.${field.name}`) && typeof converted === 'object') Object.assign(out, converted);
    else out[field.name] = converted;
  }
  return Object.keys(out).length === 0 && !meaningfulEmpty.has(key) ? undefined : out;
}
