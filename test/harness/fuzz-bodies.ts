/**
 * Request bodies for the API fuzz test: a plausible object of the route's kind, mutated (wrong
 * types, deep values, missing and extra fields), written as JSON or YAML and then maybe cut,
 * corrupted or wrapped; and a few hostile bodies kept in every run (issue 11's crashes).
 */
import { stringify } from 'yaml';
import type { Prng } from './prng.js';
import type { FuzzKind } from './fuzz-requests.js';

const podSpec = { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '1'], resources: { limits: { cpu: '100m', memory: '64Mi' } } }], restartPolicy: 'Never' };
const template = { metadata: { labels: { app: 'web' } }, spec: podSpec };

/** A plausible body per kind (valid or nearly: validation is part of what is exercised). */
function manifest(kind: FuzzKind | undefined, name: string): Record<string, unknown> {
  const meta = { name, labels: { app: 'web' } };
  const base = { apiVersion: kind?.apiVersion ?? 'v1', kind: kind?.kind ?? 'Pod', metadata: meta };
  switch (kind?.kind) {
    case 'Node': return { ...base, spec: { unschedulable: false, taints: [] }, status: { capacity: { cpu: '4', memory: '8Gi' }, addresses: [{ type: 'InternalIP', address: '10.0.0.9' }] } };
    case 'PriorityClass': return { ...base, value: 1000, description: 'fuzz' };
    case 'Event': return { ...base, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Fuzz', message: 'm', type: 'Normal' };
    case 'PodGroup': return { ...base, spec: { minMember: 2 } };
    case 'ReplicaSet': case 'Deployment': return { ...base, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template } };
    case 'Job': return { ...base, spec: { completions: 1, template: { spec: podSpec } } };
    case 'HorizontalPodAutoscaler': return { ...base, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 } };
    case 'ConfigMap': return { ...base, data: { a: '1', 'b.txt': 'x\ny' } };
    case 'Secret': return { ...base, stringData: { password: 'p' }, type: 'Opaque' };
    case 'Workflow': return { ...base, spec: { steps: [{ name: 's1', template: { spec: podSpec } }] } };
    case 'Queue': return { ...base, spec: { weight: 1, capacity: { cpu: '4' } } };
    default: return { ...base, spec: podSpec, status: { phase: 'Running', podIP: '10.1.2.3' } };
  }
}

/** Extra shapes the subresources read. */
const subBodies: unknown[] = [
  { spec: { replicas: 3 } }, { spec: { replicas: -1 } }, { spec: { replicas: '3' } }, { target: { name: 'fuzz-node' } }, { target: null },
  { gracePeriodSeconds: 0 }, { gracePeriodSeconds: 'x' }, { nodeName: 'fuzz-node', nodeSecret: 'x'.repeat(40) }, { nodeName: 'node-1', nodeSecret: 's'.repeat(40) },
  { nodeName: 'Bad Name' }, { ttlSeconds: 60, description: 'fuzz' }, { ttlSeconds: -1 }, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: 'sha256:zz' }, layers: [] },
];

const replacements = (rng: Prng): unknown[] => [
  null, 0, -1, 1e308, 'x', '', true, [], {}, [null], { '': '' }, 'ä\u0000\u001b[31m\n', 'x'.repeat(rng.int(1, 70_000)),
  deep(rng.int(20, 130)), JSON.parse('{"__proto__": {"admin": true}}') as unknown, { constructor: { prototype: 1 } },
];

function deep(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

/** Replace, delete or add a value somewhere in V (in place where it is a container). */
function mutate(rng: Prng, v: unknown): unknown {
  if (rng.next() < 0.08) return rng.pick(replacements(rng));
  if (typeof v !== 'object' || v === null) return rng.pick(replacements(rng));
  const keys = Object.keys(v);
  if (keys.length === 0 || rng.next() < 0.15) { (v as Record<string, unknown>)[rng.pick(['extra', 'metadata', 'spec', 'status', 'kind', 'apiVersion', '0'])] = rng.pick(replacements(rng)); return v; }
  const k = rng.pick(keys);
  const rec = v as Record<string, unknown>;
  if (rng.next() < 0.2) delete rec[k];
  else rec[k] = rng.next() < 0.5 ? mutate(rng, rec[k]) : rng.pick(replacements(rng));
  return v;
}

/** Bytes of a body for a request on KIND's route, with content type TYPE. */
export function bodyFor(rng: Prng, kind: FuzzKind | undefined, type: string | undefined): Buffer {
  if (rng.next() < 0.05) return Buffer.from(Array.from({ length: rng.int(0, 2000) }, () => rng.int(0, 255)));
  let value: unknown = rng.next() < 0.15 ? structuredClone(rng.pick(subBodies)) : manifest(kind, rng.pick(['a', 'web', 'p', 'cm', 'fuzz-node', 'x'.repeat(300), 'Bad_Name']));
  for (let i = rng.weighted<number>([[0, 30], [1, 40], [2, 20], [4, 10]]); i > 0; i--) value = mutate(rng, value);
  let text: string;
  try {
    text = type !== undefined && /yaml/.test(type) && rng.next() < 0.9 ? stringify(value, { collectionStyle: rng.pick(['any', 'block', 'flow']) }) : JSON.stringify(value, null, rng.pick([0, 2]));
  } catch {
    text = '{}';
  }
  text ??= 'null';
  const cut = rng.next();
  if (cut < 0.08) text = text.slice(0, rng.int(0, text.length));
  else if (cut < 0.14) { const at = rng.int(0, text.length); text = text.slice(0, at) + rng.pick(['"', '{', ']', '\u0000', ':', '- ', '&a ', '*a', '\t', '\\u12', '---\n', '%']) + text.slice(at); }
  else if (cut < 0.17) text = `${text}\n---\n${text}`;
  else if (cut < 0.19) text = `a: 1\na: 2\n${text}`;
  return Buffer.from(text);
}

let hostile: Buffer[] | undefined;
/** The bodies of issue 11's findings, made once: deep YAML and JSON, alias bombs, huge maps. */
export function hostileBodies(): Buffer[] {
  hostile ??= [
    Buffer.from('['.repeat(50_000) + ']'.repeat(50_000)),
    Buffer.from('['.repeat(100_000)),
    Buffer.from('['.repeat(1_000_000) + ']'.repeat(1_000_000)),
    Buffer.from('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)),
    Buffer.from('- '.repeat(50_000) + 'x'),
    Buffer.from(Array.from({ length: 30 }, (_, i) => (i === 0 ? 'l0: &l0 [x, x]' : `l${i}: &l${i} [*l${i - 1}, *l${i - 1}]`)).join('\n')),
    Buffer.from(Array.from({ length: 60_000 }, (_, i) => `k${i}: v`).join('\n')),
    Buffer.from('null'), Buffer.from('"string"'), Buffer.from('42'), Buffer.from('[{}]'), Buffer.from(''),
  ];
  return hostile;
}
