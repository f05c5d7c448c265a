/** Describe sections shared by the StatefulSet and DaemonSet views: pod template and pod phase counts. */
import type { PodTemplateSpec } from '../schema/apps.js';
import type { Pod } from '../schema/pod.js';
import type { Doc } from './doc.js';

/** kubectl's "Pods Status" line over the pods the owner (by uid) controls. */
export function podsStatusLine(pods: readonly Pod[], ownerUid: string | undefined): string {
  const mine = pods.filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.uid === ownerUid));
  const count = (phase: string): number => mine.filter((p) => (p.status?.phase ?? 'Pending') === phase).length;
  return `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`;
}

/** The "Pod Template" section: labels, containers with image, ports, command, environment; volumes. */
export function podTemplateSection(doc: Doc, t: PodTemplateSpec): void {
  doc.kv(0, 'Pod Template');
  doc.map(1, 'Labels', t.metadata?.labels);
  doc.kv(1, 'Containers');
  for (const c of t.spec.containers) {
    doc.kv(1, ` ${c.name}`);
    doc.kv(2, 'Image', c.image);
    doc.kv(2, 'Port', c.ports?.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ') || '<none>');
    if (c.command) doc.kv(2, 'Command', c.command);
    if (c.args) doc.kv(2, 'Args', c.args);
    doc.kv(2, 'Mounts', c.volumeMounts?.map((m) => `${m.mountPath} from ${m.name}`) ?? '<none>');
  }
  doc.kv(1, 'Volumes', t.spec.volumes?.map((v) => v.name).join(', ') || '<none>');
}
