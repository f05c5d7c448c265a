import type { KindInfo } from './kind.js';
import { podKind } from './pod.js';
import { nodeKind } from './node.js';
import { priorityClassKind } from './priority-class.js';
import { eventKind } from './event.js';
import { podGroupKind } from './pod-group.js';
import { configMapKind } from './config-map.js';
import { secretKind } from './secret.js';
import type { ApiObject } from '../meta.js';
import { deploymentKind, replicaSetKind } from './apps.js';
import { jobKind } from './job.js';
import { hpaKind } from './hpa.js';
import { workflowKind } from './workflow.js';
import { queueKind } from './queue.js';

export type { KindInfo } from './kind.js';

/** Every kind the API serves, by URL resource name. */
export const kinds: ReadonlyMap<string, KindInfo<ApiObject>> = new Map<string, KindInfo<ApiObject>>([
  [podKind.resource, podKind as unknown as KindInfo<ApiObject>],
  [nodeKind.resource, nodeKind as unknown as KindInfo<ApiObject>],
  [priorityClassKind.resource, priorityClassKind as unknown as KindInfo<ApiObject>],
  [eventKind.resource, eventKind as unknown as KindInfo<ApiObject>],
  [podGroupKind.resource, podGroupKind as unknown as KindInfo<ApiObject>],
  [replicaSetKind.resource, replicaSetKind as unknown as KindInfo<ApiObject>],
  [deploymentKind.resource, deploymentKind as unknown as KindInfo<ApiObject>],
  [jobKind.resource, jobKind as unknown as KindInfo<ApiObject>],
  [hpaKind.resource, hpaKind as unknown as KindInfo<ApiObject>],
  [configMapKind.resource, configMapKind as unknown as KindInfo<ApiObject>],
  [secretKind.resource, secretKind as unknown as KindInfo<ApiObject>],
  [workflowKind.resource, workflowKind as unknown as KindInfo<ApiObject>],
  [queueKind.resource, queueKind as unknown as KindInfo<ApiObject>],
]);

/** Find a kind by resource ("pods"), kind ("Pod") or short name ("po"), case-insensitively. */
export function findKind(name: string): KindInfo<ApiObject> | undefined {
  const n = name.toLowerCase();
  for (const k of kinds.values()) {
    if (k.resource === n || k.kind.toLowerCase() === n || k.shortNames.includes(n)) return k;
  }
  return undefined;
}
