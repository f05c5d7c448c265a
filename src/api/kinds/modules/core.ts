/**
 * The core group (v1): Pod, Node, Event, ConfigMap, Secret, Service. Each kind's module: names, scope,
 * subresources, fields, and where its table and describe view are.
 */
import type { Event, ObjectReference } from '../../schema/event.js';
import type { Node } from '../../node.js';
import type { Pod } from '../../pod.js';
import type { ConfigMap, Secret } from '../../schema/config.js';
import type { Service } from '../../schema/service.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../schema/storage.js';
import type { Namespace } from '../../schema/namespace.js';
import { defineKind } from '../module.js';

/** The Pod kind (core v1, namespaced): a group of containers run together on one node. */
export const podModule = defineKind<Pod>({
  kind: 'Pod', resource: 'pods', singular: 'pod', shortNames: ['po'], namespaced: true, group: '', version: 'v1',
  subresources: {
    status: true,
    other: [
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      { name: 'stats', kind: 'Pod', verbs: ['get'] },
      // kubectl drain finds the Eviction's group and version here (policy/v1).
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    ],
  },
  selectableFields: (pod) => ({
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace ?? '',
    'spec.nodeName': pod.spec.nodeName ?? '',
    'spec.schedulerName': pod.spec.schedulerName ?? '',
    'status.phase': pod.status?.phase ?? '',
  }),
  table: async () => (await import('../../printers/pod.js')).podTable,
  describe: async () => (await import('../../printers/pod-describe.js')).podDescriber,
});

/** The Node kind (core v1, cluster-scoped): a machine that runs pods, registered by its agent. */
export const nodeModule = defineKind<Node>({
  kind: 'Node', resource: 'nodes', singular: 'node', shortNames: ['no'], namespaced: false, group: '', version: 'v1',
  subresources: { status: true, other: [{ name: 'proxy', kind: 'NodeProxyOptions', verbs: ['get'] }] },
  selectableFields: (node) => ({ 'metadata.name': node.metadata.name, 'spec.unschedulable': String(node.spec?.unschedulable ?? false) }),
  table: async () => (await import('../../printers/node.js')).nodeTable,
  describe: async () => (await import('../../printers/node-describe.js')).nodeDescriber,
});

/** The Event kind (core v1, namespaced): what happened to an object, and who said so. */
export const eventModule = defineKind<Event>({
  kind: 'Event', resource: 'events', singular: 'event', shortNames: ['ev'], namespaced: true, group: '', version: 'v1',
  subresources: { status: false },
  selectableFields(ev) {
    const o: ObjectReference = (ev as Partial<Event>).involvedObject ?? {}; // the API's sample object has none
    return {
      'metadata.name': ev.metadata.name,
      'involvedObject.kind': o.kind ?? '',
      // kubectl events --for KIND/NAME selects by it too.
      'involvedObject.apiVersion': o.apiVersion ?? '',
      'involvedObject.name': o.name ?? '',
      'involvedObject.namespace': o.namespace ?? '',
      'involvedObject.uid': o.uid ?? '',
      reason: ev.reason ?? '',
      type: ev.type ?? '',
    };
  },
  table: async () => (await import('../../printers/events.js')).eventTable,
});

/** The ConfigMap kind (core v1, namespaced): keys that pods read as files or variables. */
export const configMapModule = defineKind<ConfigMap>({
  kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', shortNames: ['cm'], namespaced: true, group: '', version: 'v1',
  subresources: { status: false },
  selectableFields: (cm) => ({ 'metadata.name': cm.metadata.name, 'metadata.namespace': cm.metadata.namespace ?? 'default' }),
  table: async () => (await import('../../printers/config.js')).configMapTable,
});

/** The Secret kind (core v1, namespaced): like a ConfigMap, base64 data, encrypted at rest on request. */
export const secretModule = defineKind<Secret>({
  kind: 'Secret', resource: 'secrets', singular: 'secret', shortNames: [], namespaced: true, group: '', version: 'v1',
  subresources: { status: false },
  selectableFields: (s) => ({ 'metadata.name': s.metadata.name, 'metadata.namespace': s.metadata.namespace ?? 'default', type: s.type ?? 'Opaque' }),
  table: async () => (await import('../../printers/config.js')).secretTable,
});

/** The Service kind (core v1, namespaced): a stable virtual IP and DNS name in front of the pods its selector picks. */
export const serviceModule = defineKind<Service>({
  kind: 'Service', resource: 'services', singular: 'service', shortNames: ['svc'], namespaced: true, group: '', version: 'v1',
  subresources: { status: true },
  selectableFields: (s) => ({
    'metadata.name': s.metadata.name,
    'metadata.namespace': s.metadata.namespace ?? 'default',
    'spec.clusterIP': s.spec?.clusterIP ?? '',
    'spec.type': s.spec?.type ?? 'ClusterIP',
  }),
  table: async () => (await import('../../printers/service.js')).serviceTable,
  describe: async () => (await import('../../printers/service-describe.js')).serviceDescriber,
});

/** The PersistentVolume kind (core v1, cluster-scoped): a piece of storage, bound to at most one claim. */
export const persistentVolumeModule = defineKind<PersistentVolume>({
  kind: 'PersistentVolume', resource: 'persistentvolumes', singular: 'persistentvolume', shortNames: ['pv'], namespaced: false, group: '', version: 'v1',
  subresources: { status: true },
  selectableFields: (pv) => ({ 'metadata.name': pv.metadata.name, 'status.phase': pv.status?.phase ?? '', 'spec.storageClassName': pv.spec.storageClassName ?? '' }),
  table: async () => (await import('../../printers/storage.js')).persistentVolumeTable,
  describe: async () => (await import('../../printers/storage-describe.js')).persistentVolumeDescriber,
});

/** The PersistentVolumeClaim kind (core v1, namespaced): a user's request for storage, bound to one PV. */
export const persistentVolumeClaimModule = defineKind<PersistentVolumeClaim>({
  kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', shortNames: ['pvc'], namespaced: true, group: '', version: 'v1',
  subresources: { status: true },
  selectableFields: (c) => ({ 'metadata.name': c.metadata.name, 'metadata.namespace': c.metadata.namespace ?? 'default', 'status.phase': c.status?.phase ?? '', 'spec.volumeName': c.spec.volumeName ?? '' }),
  table: async () => (await import('../../printers/storage.js')).persistentVolumeClaimTable,
  describe: async () => (await import('../../printers/storage-describe.js')).persistentVolumeClaimDescriber,
});

/** The Namespace kind (core v1, cluster-scoped): a scope for names; deleting one deletes what is in it. */
export const namespaceModule = defineKind<Namespace>({
  kind: 'Namespace', resource: 'namespaces', singular: 'namespace', shortNames: ['ns'], namespaced: false, group: '', version: 'v1',
  subresources: { status: true },
  selectableFields: (ns) => ({ 'metadata.name': ns.metadata.name, 'status.phase': ns.status?.phase ?? 'Active' }),
  table: async () => (await import('../../printers/namespace.js')).namespaceTable,
});
