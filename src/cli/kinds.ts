/** The kinds lcctl knows by name (a copy of the API's table, without loading its schemas). */

/** A kind as the CLI addresses it. */
export interface CliKind { kind: string; resource: string; singular: string; namespaced: boolean }

const table: { kind: CliKind; names: string[] }[] = [
  { kind: { kind: 'Pod', resource: 'pods', singular: 'pod', namespaced: true }, names: ['pods', 'pod', 'po'] },
  { kind: { kind: 'Node', resource: 'nodes', singular: 'node', namespaced: false }, names: ['nodes', 'node', 'no'] },
  { kind: { kind: 'Event', resource: 'events', singular: 'event', namespaced: true }, names: ['events', 'event', 'ev'] },
  { kind: { kind: 'PriorityClass', resource: 'priorityclasses', singular: 'priorityclass.scheduling.k8s.io', namespaced: false }, names: ['priorityclasses', 'priorityclass', 'pc'] },
  { kind: { kind: 'PodGroup', resource: 'podgroups', singular: 'podgroup.lantern.dev', namespaced: true }, names: ['podgroups', 'podgroup', 'pg'] },
  { kind: { kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', namespaced: true }, names: ['configmaps', 'configmap', 'cm'] },
  { kind: { kind: 'Secret', resource: 'secrets', singular: 'secret', namespaced: true }, names: ['secrets', 'secret'] },
  { kind: { kind: 'Deployment', resource: 'deployments', singular: 'deployment.apps', namespaced: true }, names: ['deployments', 'deployment', 'deploy', 'deployment.apps', 'deployments.apps'] },
  { kind: { kind: 'Job', resource: 'jobs', singular: 'job.batch', namespaced: true }, names: ['jobs', 'job', 'job.batch', 'jobs.batch'] },
  { kind: { kind: 'ReplicaSet', resource: 'replicasets', singular: 'replicaset.apps', namespaced: true }, names: ['replicasets', 'replicaset', 'rs', 'replicaset.apps', 'replicasets.apps'] },
  { kind: { kind: 'Queue', resource: 'queues', singular: 'queue.lantern.dev', namespaced: false }, names: ['queues', 'queue', 'q', 'queue.lantern.dev', 'queues.lantern.dev'] },
  { kind: { kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler.autoscaling', namespaced: true }, names: ['horizontalpodautoscalers', 'horizontalpodautoscaler', 'hpa', 'horizontalpodautoscaler.autoscaling', 'horizontalpodautoscalers.autoscaling'] },
  { kind: { kind: 'Workflow', resource: 'workflows', singular: 'workflow.lantern.dev', namespaced: true }, names: ['workflows', 'workflow', 'wf', 'workflow.lantern.dev', 'workflows.lantern.dev'] },
];

/** Find a kind by resource, singular, short name or Kind, case-insensitively. */
export function findCliKind(name: string): CliKind | undefined {
  const n = name.toLowerCase();
  return table.find((t) => t.names.includes(n) || t.kind.kind.toLowerCase() === n)?.kind;
}

/** The error text for a kind lcctl does not know. */
export function unknownKind(name: string): string {
  return `the server doesn't have a resource type "${name}" (Lantern serves pods (po), nodes (no), events (ev), priorityclasses (pc), podgroups (pg), configmaps (cm), secrets, deployments (deploy), replicasets (rs), jobs, queues (q), workflows (wf) and horizontalpodautoscalers (hpa))`;
}
