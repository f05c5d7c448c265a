/** kubectl's tables for ConfigMaps (NAME DATA AGE) and Secrets (NAME TYPE DATA AGE). */
import type { ConfigMap, Secret } from '../../api/schema/config.js';
import { kubeAge } from './durations.js';
import type { Table, TableOptions } from './kube-tables.js';

const count = (...maps: (Record<string, string> | undefined)[]): string => String(maps.reduce((n, m) => n + Object.keys(m ?? {}).length, 0));

function finish(t: Table, objs: (ConfigMap | Secret)[], o: TableOptions): Table {
  if (o.labels) { t.header.push('LABELS'); t.rows.forEach((r, i) => { const l = Object.entries(objs[i]!.metadata.labels ?? {}); r.push(l.length === 0 ? '<none>' : l.map(([k, v]) => `${k}=${v}`).join(',')); }); }
  if (o.namespaces) { t.header.unshift('NAMESPACE'); t.rows.forEach((r, i) => r.unshift(objs[i]!.metadata.namespace ?? 'default')); }
  return t;
}

/** ConfigMaps: DATA counts data and binaryData keys. */
export function configMapTable(cms: ConfigMap[], o: TableOptions, now: number): Table {
  return finish({ header: ['NAME', 'DATA', 'AGE'], rows: cms.map((c) => [c.metadata.name, count(c.data, c.binaryData), kubeAge(c.metadata.creationTimestamp, now)]) }, cms, o);
}

/** Secrets: TYPE (Opaque by default) and the number of data keys. */
export function secretTable(secrets: Secret[], o: TableOptions, now: number): Table {
  return finish({ header: ['NAME', 'TYPE', 'DATA', 'AGE'], rows: secrets.map((s) => [s.metadata.name, s.type ?? 'Opaque', count(s.data), kubeAge(s.metadata.creationTimestamp, now)]) }, secrets, o);
}
