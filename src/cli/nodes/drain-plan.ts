/** Which pods a drain deletes, and which stop it, by kubectl drain's rules. */
import type { Pod } from '../../api/pod.js';

/** The pods to delete, warnings to print, and the errors that stop the drain. */
export interface DrainPlan { pods: Pod[]; warnings: string[]; errors: string[] }

const ref = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
const finished = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * A pod that no controller owns is gone for good once deleted, so it needs --force; one with an
 * emptyDir loses that data, so it needs --delete-emptydir-data. Finished pods go without either.
 */
export function planDrain(pods: readonly Pod[], opts: { force: boolean; deleteEmptyDirData: boolean }): DrainPlan {
  const unmanaged: string[] = [];
  const local: string[] = [];
  for (const p of pods) {
    if (finished(p)) continue;
    if (!(p.metadata.ownerReferences ?? []).some((o) => o.controller)) unmanaged.push(ref(p));
    if ((p.spec.volumes ?? []).some((v) => v.emptyDir !== undefined)) local.push(ref(p));
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  if (unmanaged.length > 0) {
    if (opts.force) warnings.push(`Warning: deleting Pods that declare no controller: ${unmanaged.join(', ')}`);
    else errors.push(`cannot delete Pods that declare no controller (use --force to override): ${unmanaged.join(', ')}`);
  }
  if (local.length > 0) {
    if (opts.deleteEmptyDirData) warnings.push(`Warning: deleting Pods with local storage: ${local.join(', ')}`);
    else errors.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${local.join(', ')}`);
  }
  return { pods: [...pods], warnings, errors };
}
