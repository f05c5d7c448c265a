import { ApiError } from '../../api/errors.js';
import type { ApiObject, ObjectList, WatchEvent } from '../../api/meta.js';
import type { ApiClient, DeleteOptions, ListOptions, WatchOptions, Watcher, WriteOptions } from '../../client/types.js';
import type { Identity } from './auth.js';
import { gangMemberOnNode, namedBySelector, referencedByNode } from './config-ref-authz.js';
import { nodeRestricted, type NodeRestriction } from '../node-restriction/index.js';

/** What a request does, in the words the rules use. */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'updateStatus' | 'delete' | 'bind'
  | 'log' | 'stats' | 'exec' | 'attach' | 'portforward' | 'images' | 'join' | 'tunnel' | 'rotate';

/** One request to decide on. podNodeName is the stored pod's spec.nodeName, resolved by the caller. */
export interface Action {
  verb: Verb;
  resource: string;
  namespace?: string;
  name?: string;
  fieldSelector?: string;
  podNodeName?: string;
  /** For a node reading a ConfigMap/Secret: whether a pod bound to it references the object. */
  referencedByNode?: boolean;
  /** For a node watching a namespace's pods: whether a pod bound to it there is a gang member. */
  gangMemberOnNode?: boolean;
}

interface Rule { role: Identity['role']; verbs: readonly Verb[] | '*'; resources: readonly string[] | '*'; when?: (node: string, a: Action) => boolean }

/** True when the selector contains the term spec.nodeName=NODE (so the watch sees only that node's pods). */
export function selectsNode(fieldSelector: string | undefined, node: string): boolean {
  return (fieldSelector ?? '').split(',').map((t) => t.trim().replace('==', '=')).includes(`spec.nodeName=${node}`);
}

/** The rule table: a request is allowed when one rule matches it. */
export const rules: readonly Rule[] = [
  { role: 'admin', verbs: '*', resources: '*' },
  { role: 'node', verbs: ['get', 'list'], resources: ['nodes', 'pods'] },
  { role: 'node', verbs: ['watch'], resources: ['nodes'] },
  { role: 'node', verbs: ['watch'], resources: ['pods'], when: (node, a) => selectsNode(a.fieldSelector, node) },
  { role: 'node', verbs: ['create', 'update', 'updateStatus'], resources: ['nodes'], when: (node, a) => a.name === node },
  { role: 'node', verbs: ['updateStatus', 'delete'], resources: ['pods'], when: (node, a) => a.podNodeName === node },
  { role: 'node', verbs: ['tunnel'], resources: ['nodes'], when: (node, a) => a.name === node },
  // A gang member's agent reads the group's size (minMember) before starting its containers.
  { role: 'node', verbs: ['get'], resources: ['podgroups'] },
  // The runtime-class hook resolves a pod's RuntimeClass to its handler (as Kubernetes' node authorizer allows). Read only.
  { role: 'node', verbs: ['get', 'list', 'watch'], resources: ['runtimeclasses'] },
  // NetworkPolicy enforcement on every node: the policies, and every pod's IP and labels (a peer may be any pod;
  // a node may list every pod anyway, so a cluster-wide watch shows it nothing more). Read only: never a write.
  { role: 'node', verbs: ['get', 'list', 'watch'], resources: ['networkpolicies'] },
  // Image signature policy is enforced on the node before a container starts (agent/pods/hooks/image-policy.ts):
  // it follows every ClusterImagePolicy (public keys and globs, nothing secret). Read only: writes are the admin's.
  { role: 'node', verbs: ['get', 'list', 'watch'], resources: ['clusterimagepolicies'] },
  // The service proxy and cluster DNS on every node follow every Service and EndpointSlice. Read only: never a write.
  { role: 'node', verbs: ['get', 'list', 'watch'], resources: ['services', 'endpointslices'] },
  { role: 'node', verbs: ['watch'], resources: ['pods'], when: (_node, a) => a.namespace === undefined && !a.fieldSelector },
  // The agent attaches its pods to the user networks they name (lcctl network; not secret: subnets and drivers).
  { role: 'node', verbs: ['get', 'list', 'watch'], resources: ['networks'] },
  // The volumes hook resolves a pod's claim to its bound volume (Kubernetes' node authorizer allows the claims and
  // volumes of its pods; here every one: they hold no secret, a Secret reference in a PV is still read under its own rule). Read only.
  { role: 'node', verbs: ['get', 'list', 'watch'], resources: ['persistentvolumeclaims', 'persistentvolumes', 'storageclasses'] },
  // The local-path reclaimer deletes its node's released Delete volumes and reports their use; node-restriction
  // (persistent-volumes.ts) admits only volumes pinned to the writing node.
  { role: 'node', verbs: ['update', 'updateStatus', 'delete'], resources: ['persistentvolumes'] },
  // The CSI provisioner of a node hosting a driver's controller service (agent/csi/provisioner.ts) creates that
  // driver's PVs; node-restriction/csi-volumes.ts admits only PVs of drivers the node's Node lists.
  { role: 'node', verbs: ['create'], resources: ['persistentvolumes'] },
  { role: 'node', verbs: ['get'], resources: ['configmaps', 'secrets'], when: (_node, a) => a.referencedByNode === true },
  // The agent's watched cache of them (the kubelet's): one object, named by fieldSelector metadata.name=NAME.
  { role: 'node', verbs: ['list', 'watch'], resources: ['configmaps', 'secrets'], when: (_node, a) => a.referencedByNode === true && a.namespace !== undefined && namedBySelector(a.fieldSelector) !== undefined },
  // A gang member's agent follows its peers' addresses (it may list every pod anyway).
  { role: 'node', verbs: ['watch'], resources: ['pods'], when: (_node, a) => a.gangMemberOnNode === true && a.namespace !== undefined },
  // As kubelets do: the agent reports what happened to its pods (probes, pulls) as Events; a repeat
  // reads the stored event and bumps its count.
  { role: 'node', verbs: ['create', 'get', 'update'], resources: ['events'] },
  { role: 'join', verbs: ['join'], resources: ['nodes'] },
  // Join tokens (`jointokens`), node credentials (`nodecredentials`) and the admin token (`admintoken`,
  // verb rotate) are the admin's alone: deliberately, no rule for a node or the join token names them.
  // Namespaces (`namespaces`: create, delete, read), evictions (`pods/eviction`, create: kubectl drain) and
  // the metrics.k8s.io API (`kubectl top`, metrics-api.ts) are the admin's alone too: no node or join rule.
];

/** The node name of a `system:node:NAME` identity ('' for others). */
export const nodeNameOf = (id: Identity): string => (id.role === 'node' ? id.name.replace(/^system:node:/, '') : '');

/** Whether the rules allow the action. */
export function allowed(id: Identity, a: Action): boolean {
  if (id.role === 'user') return id.authorizer?.decide(id, a).allowed ?? false;
  const node = nodeNameOf(id);
  return rules.some((r) => r.role === id.role
    && (r.verbs === '*' || r.verbs.includes(a.verb))
    && (r.resources === '*' || r.resources.includes(a.resource))
    && (r.when === undefined || r.when(node, a)));
}

const hints: Record<Identity['role'], string> = {
  admin: '',
  node: 'a node may read and watch nodes and pods (all of them, its own by fieldSelector=spec.nodeName=NAME, or a namespace where a pod bound to it is a gang member), and change only its own Node and the status or deletion of pods bound to it; it may read (or list and watch by fieldSelector=metadata.name=NAME) a ConfigMap or Secret only while a pod bound to it references it (or, a Secret, while a StorageClass or PersistentVolume of a CSI driver it hosts names it); it may record events; it may update or delete a PersistentVolume pinned to it (nodeAffinity naming it alone), and create, update or delete one of a CSI driver it hosts; it may read PodGroups, Networks, NetworkPolicies, ClusterImagePolicies, Services and EndpointSlices, never write them; it may open only its own tunnel',
  user: 'a user may do what the RoleBindings and ClusterRoleBindings naming the user, one of its groups or its ServiceAccount grant',
  join: 'the join token may only fetch /cacerts and join a node (POST /apis/lantern.dev/v1/nodes/join); the node then uses the credential it was given',
};

/** Throw Forbidden, naming the identity and the action, unless the rules allow it. */
export function authorize(id: Identity, a: Action): void {
  if (allowed(id, a)) return;
  if (id.role === 'user') throw new ApiError('Forbidden', id.authorizer?.decide(id, a).reason ?? `User "${id.name}" cannot ${a.verb} resource "${a.resource}": no authorizer`);
  const target = a.name === undefined ? '' : ` "${a.namespace !== undefined ? `${a.namespace}/` : ''}${a.name}"`;
  throw new ApiError('Forbidden', `${id.name} may not ${a.verb} ${a.resource}${target}: ${hints[id.role]}`);
}

/**
 * The action with what the rules need to know of a node's pods (for a ConfigMap/Secret read, or a
 * watch of a namespace's pods); other actions as they are. Reads the API, so only where needed.
 */
export async function withNodeFacts(api: ApiClient, id: Identity, a: Action): Promise<Action> {
  if (!needsNodeFacts(id, a)) return a;
  const node = nodeNameOf(id);
  if (a.resource === 'pods') return { ...a, gangMemberOnNode: await gangMemberOnNode(api, node, a.namespace!) };
  const name = a.verb === 'get' ? a.name : namedBySelector(a.fieldSelector);
  return { ...a, referencedByNode: name !== undefined && await referencedByNode(api, node, a.resource, name, a.namespace) };
}

/** Whether withNodeFacts has anything to find out for this action. */
export function needsNodeFacts(id: Identity, a: Action): boolean {
  if (id.role !== 'node') return false;
  if (a.resource === 'configmaps' || a.resource === 'secrets') return a.verb === 'get' || ((a.verb === 'list' || a.verb === 'watch') && a.namespace !== undefined);
  return a.resource === 'pods' && a.verb === 'watch' && a.namespace !== undefined && !selectsNode(a.fieldSelector, nodeNameOf(id));
}

/** A user's write must not grant more than the user holds (server/rbac/escalation.ts): Forbidden otherwise. */
function checkUserWrite(id: Identity, resource: string, obj: unknown): void {
  const d = id.role === 'user' ? id.authorizer?.checkWrite?.(id, resource, obj) : undefined;
  if (d !== undefined && !d.allowed) throw new ApiError('Forbidden', d.reason);
}

/** A watch that starts once check passed; a refusal rejects its done. */
function watchAfter(check: Promise<void>, start: () => Watcher): Watcher {
  let inner: Watcher | undefined;
  let stopped = false;
  const done = check.then(() => { if (stopped) return undefined; inner = start(); return inner.done; });
  return { stop: () => { stopped = true; inner?.stop(); }, done };
}

/** The API client as an identity may use it: every call is checked against the rules first. */
export function authorizedClient(base: ApiClient, id: Identity, restriction?: NodeRestriction): ApiClient {
  if (id.role === 'admin') return base;
  // A node's writes, once the rules allow them, pass its admission (../node-restriction/).
  const api = id.role === 'node' ? nodeRestricted(base, nodeNameOf(id), restriction) : base;
  const podNode = async (resource: string, name: string, namespace?: string): Promise<string | undefined> => {
    if (resource !== 'pods') return undefined;
    const pod = await api.get<ApiObject & { spec?: { nodeName?: string } }>('pods', name, namespace);
    return pod.spec?.nodeName;
  };
  return {
    create<T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T> {
      authorize(id, { verb: 'create', resource, namespace: obj.metadata?.namespace, name: obj.metadata?.name });
      checkUserWrite(id, resource, obj);
      return api.create(resource, obj, opts);
    },
    async get<T extends ApiObject>(resource: string, name: string, namespace?: string): Promise<T> {
      authorize(id, await withNodeFacts(api, id, { verb: 'get', resource, namespace, name }));
      return api.get(resource, name, namespace);
    },
    async list<T extends ApiObject>(resource: string, namespace?: string, opts?: ListOptions): Promise<ObjectList<T>> {
      authorize(id, await withNodeFacts(api, id, { verb: 'list', resource, namespace, fieldSelector: opts?.fieldSelector }));
      return api.list(resource, namespace, opts);
    },
    async update<T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T> {
      const { name, namespace } = obj.metadata;
      authorize(id, { verb: 'update', resource, namespace, name, podNodeName: await podNode(resource, name, namespace) });
      checkUserWrite(id, resource, obj);
      return api.update(resource, obj, opts);
    },
    async updateStatus<T extends ApiObject>(resource: string, obj: T): Promise<T> {
      const { name, namespace } = obj.metadata;
      authorize(id, { verb: 'updateStatus', resource, namespace, name, podNodeName: await podNode(resource, name, namespace) });
      return api.updateStatus(resource, obj);
    },
    async delete<T extends ApiObject>(resource: string, name: string, namespace?: string, opts?: DeleteOptions): Promise<T> {
      authorize(id, { verb: 'delete', resource, namespace, name, podNodeName: await podNode(resource, name, namespace) });
      return api.delete(resource, name, namespace, opts);
    },
    watch<T extends ApiObject>(resource: string, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Watcher {
      const action: Action = { verb: 'watch', resource, namespace, fieldSelector: opts.fieldSelector };
      // The HTTP chain checked this watch (with the same facts) before answering 200; checked again here.
      if (needsNodeFacts(id, action)) return watchAfter(withNodeFacts(api, id, action).then((a) => authorize(id, a)), () => api.watch(resource, namespace, opts, onEvent));
      authorize(id, action);
      return api.watch(resource, namespace, opts, onEvent);
    },
    async bind(namespace: string, podName: string, nodeName: string): Promise<void> {
      authorize(id, { verb: 'bind', resource: 'pods', namespace, name: podName });
      return api.bind(namespace, podName, nodeName);
    },
  };
}
