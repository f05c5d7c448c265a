/** `get networkpolicies` (NAME POD-SELECTOR AGE) and `describe networkpolicy`, as kubectl prints them. */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../schema/network-policy.js';
import { Doc, describeTime } from './doc.js';
import type { Describer } from './describe.js';
import { selectorString } from './labels.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** NAME POD-SELECTOR AGE. */
export const networkPolicyTable: TableDefinition<NetworkPolicy> = {
  columns: [nameColumn, column<NetworkPolicy>('Pod-Selector', (np) => selectorString(np.spec.podSelector)), ageColumn],
};

const hasType = (np: NetworkPolicy, t: 'Ingress' | 'Egress'): boolean => (np.spec.policyTypes ?? ['Ingress']).includes(t);

function portLines(doc: Doc, level: number, ports: readonly NetworkPolicyPort[] | undefined): void {
  if (!ports?.length) { doc.kv(level, 'To Port', '<any> (traffic allowed to all ports)'); return; }
  for (const p of ports) {
    const range = p.endPort !== undefined ? `${String(p.port)}-${p.endPort}` : p.port === undefined ? '<any>' : String(p.port);
    doc.kv(level, 'To Port', `${range}/${p.protocol ?? 'TCP'}`);
  }
}

function peerLines(doc: Doc, level: number, peers: readonly NetworkPolicyPeer[] | undefined, any: string): void {
  if (!peers?.length) { doc.text(level, any); return; }
  for (const p of peers) {
    if (p.podSelector) doc.kv(level, 'PodSelector', selectorString(p.podSelector));
    if (p.namespaceSelector) doc.kv(level, 'NamespaceSelector', selectorString(p.namespaceSelector));
    if (p.ipBlock) {
      doc.kv(level, 'IPBlock');
      doc.kv(level + 1, 'CIDR', p.ipBlock.cidr).kv(level + 1, 'Except', (p.ipBlock.except ?? []).join(', ') || '');
    }
  }
}

function summary(doc: Doc, np: NetworkPolicy): void {
  doc.kv(0, 'Name', np.metadata.name).kv(0, 'Namespace', np.metadata.namespace ?? 'default');
  doc.kv(0, 'Created on', describeTime(np.metadata.creationTimestamp));
  doc.map(0, 'Labels', np.metadata.labels).map(0, 'Annotations', np.metadata.annotations, ': ');
}

function spec(doc: Doc, np: NetworkPolicy): void {
  const s = np.spec;
  doc.kv(0, 'Spec');
  const sel = selectorString(s.podSelector);
  doc.kv(1, 'PodSelector', sel === '<none>' ? '<none> (Allowing the specific traffic to all pods in this namespace)' : sel);
  direction(doc, hasType(np, 'Ingress'), 'ingress', 'From', 'source', (s.ingress ?? []).map((r) => ({ ports: r.ports, peers: r.from })));
  direction(doc, hasType(np, 'Egress'), 'egress', 'To', 'destination', (s.egress ?? []).map((r) => ({ ports: r.ports, peers: r.to })));
  doc.kv(1, 'Policy Types', (s.policyTypes ?? ['Ingress']).join(', '));
}

/** kubectl's describe networkpolicy: the selector, then each direction's rules or why it is unaffected. */
export const networkPolicyDescriber: Describer<NetworkPolicy> = { sections: [summary, spec] };

/** One direction of kubectl's describe: "Not affecting ..." or its rules (ports, then peers), separated by dashes. */
function direction(doc: Doc, affected: boolean, name: string, peersLabel: string, peerWord: string, rules: { ports: Parameters<typeof portLines>[2]; peers: Parameters<typeof peerLines>[2] }[]): void {
  if (!affected) { doc.text(1, `Not affecting ${name} traffic`); return; }
  doc.kv(1, `Allowing ${name} traffic`);
  if (rules.length === 0) doc.text(2, `<none> (Selected pods are isolated for ${name} connectivity)`);
  rules.forEach((r, i) => {
    if (i > 0) doc.text(2, '----------');
    portLines(doc, 2, r.ports);
    doc.kv(2, peersLabel);
    peerLines(doc, 3, r.peers, `<any> (traffic not restricted by ${peerWord})`);
  });
}
