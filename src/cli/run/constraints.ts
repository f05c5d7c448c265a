/** Docker Swarm placement constraints (`--constraint node.labels.zone==east`) as Kubernetes node affinity. */
import type { NodeAffinity, NodeSelectorRequirement } from '../../api/schema/pod.js';
import { UsageError } from '../errors.js';

/** Swarm's node attributes that have a well-known Kubernetes node label. */
const attributes: Record<string, string> = {
  'node.hostname': 'kubernetes.io/hostname',
  'node.platform.os': 'kubernetes.io/os',
  'node.platform.arch': 'kubernetes.io/arch',
};

const usage = 'expected node.labels.KEY==VALUE, node.labels.KEY!=VALUE, node.hostname==NAME, node.platform.os==OS or node.platform.arch==ARCH';

/** One constraint as a node selector requirement: == is In, != is NotIn. */
export function parseConstraint(raw: string): NodeSelectorRequirement {
  const m = /^\s*([^=!\s]+)\s*(==|!=)\s*(.*?)\s*$/.exec(raw);
  if (!m) throw new UsageError(`invalid argument "${raw}" for "--constraint" flag: ${usage}`);
  const [, attr = '', op, value = ''] = m;
  let key: string | undefined = attributes[attr];
  if (attr.startsWith('node.labels.')) key = attr.slice('node.labels.'.length);
  if (!key) throw new UsageError(`invalid argument "${raw}" for "--constraint" flag: unsupported attribute "${attr}"; ${usage}`);
  if (value === '') throw new UsageError(`invalid argument "${raw}" for "--constraint" flag: the value is empty; ${usage}`);
  return { key, operator: op === '==' ? 'In' : 'NotIn', values: [value] };
}

/** All constraints ANDed in one required node selector term; undefined when there are none. */
export function constraintsAffinity(raw: string[]): NodeAffinity | undefined {
  if (raw.length === 0) return undefined;
  return { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: raw.map(parseConstraint) }] } };
}
