import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { podKind } from './kinds/pod.js';
import type { Pod } from './pod.js';
import type { FieldCause } from './errors.js';

/** A valid pod; tweak modifies it before it is returned. */
function pod(tweak: (p: Pod) => void = () => {}): Pod {
  const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  tweak(p);
  return p;
}
const na = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]';
const req = (expr: Record<string, unknown>) => (p: Pod): void => {
  p.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expr as never] } } };
};

describe('podKind.validate: scheduling fields', () => {
  test('a pod using every scheduling field correctly has no causes', () => {
    const good = pod((p) => {
      p.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
            { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, { key: 'cores', operator: 'Gt', values: ['4'] }, { key: 'spot', operator: 'DoesNotExist' }] },
            { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] },
          ] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } }],
        },
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone', namespaces: ['data'] }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, topologyKey: 'kubernetes.io/hostname' } }] },
      };
      p.spec.tolerations = [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists' }, { key: 'maint', value: 'yes', effect: 'NoExecute', tolerationSeconds: 30 }, { key: 'k', effect: '' }];
      p.spec.topologySpreadConstraints = [
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, minDomains: 3 },
        { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' },
      ];
    });
    assert.deepEqual(podKind.validate(good), []);
  });

  const bad: [string, (p: Pod) => void, FieldCause][] = [
    ['In without values', req({ matchExpressions: [{ key: 'zone', operator: 'In' }] }),
      { field: `${na}.matchExpressions[0].values`, message: "must be specified when `operator` is 'In' or 'NotIn'" }],
    ['NotIn with an empty list', req({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: [] }] }),
      { field: `${na}.matchExpressions[0].values`, message: "must be specified when `operator` is 'In' or 'NotIn'" }],
    ['Exists with values', req({ matchExpressions: [{ key: 'zone', operator: 'Exists', values: ['a'] }] }),
      { field: `${na}.matchExpressions[0].values`, message: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'" }],
    ['Gt with two values', req({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['1', '2'] }] }),
      { field: `${na}.matchExpressions[0].values`, message: "must be specified single value when `operator` is 'Lt' or 'Gt'" }],
    ['Lt with a non-integer', req({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['4.5'] }] }),
      { field: `${na}.matchExpressions[0].values[0]`, message: "must be an integer when `operator` is 'Lt' or 'Gt', got \"4.5\"" }],
    ['an invalid label key', req({ matchExpressions: [{ key: 'bad key', operator: 'Exists' }] }),
      { field: `${na}.matchExpressions[0].key`, message: 'invalid label key "bad key": an optional DNS subdomain prefix and \'/\', then at most 63 alphanumeric, \'-\', \'_\' or \'.\' characters' }],
    ['matchFields on a field other than metadata.name', req({ matchFields: [{ key: 'spec.unschedulable', operator: 'In', values: ['true'] }] }),
      { field: `${na}.matchFields[0].key`, message: 'not a valid field selector key "spec.unschedulable": only "metadata.name" is supported' }],
    ['matchFields with two values', req({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }),
      { field: `${na}.matchFields[0].values`, message: "must be only one value when `operator` is 'In' or 'NotIn' for node field selector" }],
    ['matchFields with Exists', req({ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }),
      { field: `${na}.matchFields[0].operator`, message: 'not a valid operator "Exists" for a node field selector: use In or NotIn' }],
    ['no node selector terms', (p) => { p.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }; },
      { field: 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms', message: 'must have at least one item' }],
    ['a preferred weight of 0', (p) => { p.spec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } }; },
      { field: 'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', message: 'must be between 1 and 100, got 0' }],
    ['a pod affinity term without topologyKey', (p) => { p.spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {}, topologyKey: '' }] } }; },
      { field: 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey', message: 'must not be empty' }],
    ['a label selector In without values', (p) => { p.spec.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, topologyKey: 'zone' } }] } }; },
      { field: 'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0].values', message: "must be specified when `operator` is 'In' or 'NotIn'" }],
    ['an invalid namespace in a term', (p) => { p.spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {}, topologyKey: 'zone', namespaces: ['Data'] }] } }; },
      { field: 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespaces[0]', message: `invalid name "Data": must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character` }],
    ['a toleration with Exists and a value', (p) => { p.spec.tolerations = [{ key: 'gpu', operator: 'Exists', value: 'true' }]; },
      { field: 'spec.tolerations[0].value', message: "value must be empty when `operator` is 'Exists'" }],
    ['a toleration with an empty key and Equal', (p) => { p.spec.tolerations = [{ operator: 'Equal', value: 'x' }]; },
      { field: 'spec.tolerations[0].operator', message: 'operator must be Exists when `key` is empty, which means "match all values and all keys"' }],
    ['a toleration with an empty key and no operator', (p) => { p.spec.tolerations = [{ effect: 'NoSchedule' }]; },
      { field: 'spec.tolerations[0].operator', message: 'operator must be Exists when `key` is empty, which means "match all values and all keys"' }],
    ['tolerationSeconds without NoExecute', (p) => { p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }]; },
      { field: 'spec.tolerations[0].effect', message: "effect must be 'NoExecute' when `tolerationSeconds` is set" }],
    ['an unknown toleration operator', (p) => { p.spec.tolerations = [{ key: 'k', operator: 'In' as never }]; },
      { field: 'spec.tolerations[0].operator', message: 'expected one of "Equal", "Exists", got "In"' }],
    ['maxSkew 0', (p) => { p.spec.topologySpreadConstraints = [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }]; },
      { field: 'spec.topologySpreadConstraints[0].maxSkew', message: 'must be at least 1, got 0' }],
    ['an unknown whenUnsatisfiable', (p) => { p.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Never' as never }]; },
      { field: 'spec.topologySpreadConstraints[0].whenUnsatisfiable', message: 'expected one of "DoNotSchedule", "ScheduleAnyway", got "Never"' }],
    ['minDomains with ScheduleAnyway', (p) => { p.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }]; },
      { field: 'spec.topologySpreadConstraints[0].minDomains', message: 'can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway' }],
    ['two constraints on the same key and mode', (p) => { p.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }, { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }]; },
      { field: 'spec.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}', message: 'duplicate value {"zone", "DoNotSchedule"}' }],
  ];
  for (const [what, tweak, cause] of bad) {
    test(`refuses ${what}`, () => assert.deepEqual(podKind.validate(pod(tweak)), [cause]));
  }
});
