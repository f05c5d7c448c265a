import type { FieldCause } from '../errors.js';
import { netContains, parseIpNet } from '../ip.js';
import { requirementIsValid } from '../label-selector.js';
import type { LabelSelector } from '../schema/pod.js';
import { NetworkPolicySchema, type IPBlock, type NetworkPolicy, type NetworkPolicyPeer, type NetworkPolicyPort } from '../schema/network-policy.js';
import type { KindInfo } from './kind.js';
import { networkPolicyModule } from './modules/networking.js';
import { withRules } from './with-rules.js';

/** Kubernetes' IANA_SVC_NAME: what a container port's name may be. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function selectorCauses(field: string, sel: LabelSelector | undefined): FieldCause[] {
  return (sel?.matchExpressions ?? []).flatMap((r, i) => requirementIsValid(r) ? [] : [{
    field: `${field}.matchExpressions[${i}]`,
    message: `${r.operator} ${r.operator === 'In' || r.operator === 'NotIn' ? 'needs at least one value' : 'takes no values'}`,
  }]);
}

function ipBlockCauses(field: string, b: IPBlock): FieldCause[] {
  const net = parseIpNet(b.cidr);
  if (!net) return [{ field: `${field}.cidr`, message: `"${b.cidr}" is not a CIDR: expected an address/prefix such as 10.0.0.0/16` }];
  return (b.except ?? []).flatMap((e, i) => {
    const inner = parseIpNet(e);
    const f = `${field}.except[${i}]`;
    if (!inner) return [{ field: f, message: `"${e}" is not a CIDR: expected an address/prefix such as 10.0.1.0/24` }];
    if (inner.family !== net.family || inner.prefix <= net.prefix || !netContains(net, inner.address)) {
      return [{ field: f, message: `must be a smaller range inside cidr ${b.cidr}` }];
    }
    return [];
  });
}

function peerCauses(field: string, p: NetworkPolicyPeer): FieldCause[] {
  if (!p.podSelector && !p.namespaceSelector && !p.ipBlock) return [{ field, message: 'must set podSelector, namespaceSelector or ipBlock' }];
  if (p.ipBlock && (p.podSelector || p.namespaceSelector)) return [{ field, message: 'ipBlock may not be combined with podSelector or namespaceSelector: use two peers' }];
  return [
    ...selectorCauses(`${field}.podSelector`, p.podSelector),
    ...selectorCauses(`${field}.namespaceSelector`, p.namespaceSelector),
    ...(p.ipBlock ? ipBlockCauses(`${field}.ipBlock`, p.ipBlock) : []),
  ];
}

function portCauses(field: string, p: NetworkPolicyPort): FieldCause[] {
  if (typeof p.port === 'string' && !PORT_NAME.test(p.port)) return [{ field: `${field}.port`, message: `"${p.port}" is neither a port number nor a port name (lower case letters, digits and "-", at most 15, at least one letter)` }];
  if (p.endPort === undefined) return [];
  if (typeof p.port !== 'number') return [{ field: `${field}.endPort`, message: 'may only be set with a numeric port' }];
  return p.endPort < p.port ? [{ field: `${field}.endPort`, message: `must be greater than or equal to port (${p.port})` }] : [];
}

/** The NetworkPolicy kind (networking.k8s.io/v1, namespaced). */
export const networkPolicyKind: KindInfo<NetworkPolicy> = withRules(networkPolicyModule, {
  schema: NetworkPolicySchema,
  check(np) {
    const s = np.spec;
    const out: FieldCause[] = [...selectorCauses('spec.podSelector', s.podSelector)];
    const types = s.policyTypes ?? [];
    if (new Set(types).size !== types.length) out.push({ field: 'spec.policyTypes', message: 'lists a type twice: use Ingress, Egress or both once each' });
    (s.ingress ?? []).forEach((r, i) => {
      (r.from ?? []).forEach((p, j) => out.push(...peerCauses(`spec.ingress[${i}].from[${j}]`, p)));
      (r.ports ?? []).forEach((p, j) => out.push(...portCauses(`spec.ingress[${i}].ports[${j}]`, p)));
    });
    (s.egress ?? []).forEach((r, i) => {
      (r.to ?? []).forEach((p, j) => out.push(...peerCauses(`spec.egress[${i}].to[${j}]`, p)));
      (r.ports ?? []).forEach((p, j) => out.push(...portCauses(`spec.egress[${i}].ports[${j}]`, p)));
    });
    return out;
  },
  applyDefaults(np) {
    // Kubernetes: every policy affects ingress; one with an egress section affects egress too.
    np.spec.policyTypes ??= (np.spec.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
    for (const r of [...(np.spec.ingress ?? []), ...(np.spec.egress ?? [])]) for (const p of r.ports ?? []) p.protocol ??= 'TCP';
  },
});
