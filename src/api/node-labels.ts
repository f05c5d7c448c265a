/**
 * Which of a Node's labels the node reported itself and which an admin set. The API server records
 * the labels a node wrote (key and value) in an annotation the node cannot write
 * (server/node-restriction/); a stored label whose key and value are not recorded there was set by
 * an admin (or changed by one), and the node may not change or remove it.
 */
import type { Node } from './schema/node.js';

/** The annotation holding the labels the node itself last wrote, as a JSON object. */
export const reportedLabelsAnnotation = 'node.lantern.dev/reported-labels';

/** The labels the node reported itself, as recorded by the server ({} when none are). */
export function reportedLabels(node: Pick<Node, 'metadata'>): Record<string, string> {
  const raw = node.metadata.annotations?.[reportedLabelsAnnotation];
  if (raw === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** Whether the node may set this label key: no stored label has it, or the node wrote it and no admin changed it since. */
export function nodeMaySetLabel(node: Pick<Node, 'metadata'>, key: string, reported = reportedLabels(node)): boolean {
  const value = node.metadata.labels?.[key];
  return value === undefined || reported[key] === value;
}

/**
 * The labels a restarting node writes over its existing Node: every stored label stays, and the
 * node's desired labels are set where the key is new or still the node's own, so a label an admin
 * set or changed is kept (the API would refuse to change it). A Node without the annotation was
 * written only by unrestricted writers (the server's own agent, an admin-token simulator, a Node from
 * before node restriction): there the desired labels win, as before.
 */
export function mergeReportedLabels(existing: Pick<Node, 'metadata'>, desired: Record<string, string>): Record<string, string> {
  if (existing.metadata.annotations?.[reportedLabelsAnnotation] === undefined) return { ...existing.metadata.labels, ...desired };
  const reported = reportedLabels(existing);
  const out = { ...existing.metadata.labels };
  for (const [k, v] of Object.entries(desired)) if (nodeMaySetLabel(existing, k, reported)) out[k] = v;
  return out;
}
