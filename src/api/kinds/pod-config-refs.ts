import type { Pod } from '../pod.js';
import type { FieldCause } from '../errors.js';
import { checkConfigKey } from './config-rules.js';

const badPath = (p: string): boolean => p.startsWith('/') || p.split('/').includes('..');

/** Rules for a pod's ConfigMap/Secret references: volume item paths, env sources, envFrom prefixes. */
export function checkConfigRefs(pod: Pod, out: FieldCause[]): void {
  (pod.spec.volumes ?? []).forEach((v, i) => {
    const src = v.configMap ?? v.secret;
    const p = `spec.volumes[${i}].${v.configMap ? 'configMap' : 'secret'}`;
    src?.items?.forEach((it, j) => {
      if (badPath(it.path)) out.push({ field: `${p}.items[${j}].path`, message: "must be a relative path without '..'" });
      const bad = checkConfigKey(it.key);
      if (bad) out.push({ field: `${p}.items[${j}].key`, message: bad });
    });
  });
  pod.spec.containers.forEach((c, i) => {
    (c.env ?? []).forEach((e, j) => {
      const f = e.valueFrom;
      if (!f) return;
      const p = `spec.containers[${i}].env[${j}]`;
      if (e.value !== undefined && e.value !== '') out.push({ field: `${p}.valueFrom`, message: 'may not be specified when `value` is not empty' });
      if ((f.configMapKeyRef ? 1 : 0) + (f.secretKeyRef ? 1 : 0) !== 1) out.push({ field: `${p}.valueFrom`, message: 'must specify exactly one of configMapKeyRef and secretKeyRef' });
    });
    (c.envFrom ?? []).forEach((e, j) => {
      const p = `spec.containers[${i}].envFrom[${j}]`;
      if ((e.configMapRef ? 1 : 0) + (e.secretRef ? 1 : 0) !== 1) out.push({ field: p, message: 'must specify exactly one of configMapRef and secretRef' });
      if (e.prefix !== undefined && e.prefix !== '' && !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.prefix)) out.push({ field: `${p}.prefix`, message: 'a valid environment variable name must consist of alphabetic characters, digits, \'_\', \'-\', or \'.\', and must not start with a digit' });
    });
  });
}
