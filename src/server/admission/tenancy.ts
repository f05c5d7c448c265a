/**
 * The tenancy admission plugins in kube-apiserver's order, as ApiService calls them on a create
 * (and an update): LimitRanger (mutating: defaults), then PodSecurity, then ResourceQuota (last,
 * because it charges the quota).
 */
import type { ApiObject } from '../../api/meta.js';
import type { ApiClient } from '../../client/types.js';
import { admitLimitRange } from './limit-range/admit.js';
import { admitPodSecurity } from './pod-security/admit.js';
import type { PodSecurityDefaults } from './pod-security/policy.js';
import { admitQuota, type AdmittedKind } from './quota/admit.js';
import { admitQuotaUpdate } from './quota/update.js';

/** Settings of the tenancy admission: Pod Security's defaults, or none for no Pod Security admission. */
export interface TenancyOptions { podSecurity?: PodSecurityDefaults }

/** LimitRanger, PodSecurity and ResourceQuota admission over one API. */
export class TenancyAdmission {
  constructor(private readonly api: Pick<ApiClient, 'get' | 'list' | 'updateStatus'>, private readonly opts: TenancyOptions = {}) {}

  /** Admit the create of OBJ (namespaced kinds only): may default it, throws 403 when a plugin refuses. */
  async create(k: AdmittedKind & { namespaced: boolean }, obj: ApiObject, dryRun: boolean): Promise<void> {
    if (k.resource === 'namespaces' && this.opts.podSecurity) return admitPodSecurity(this.api, k.resource, obj, this.opts.podSecurity, 'create');
    if (!k.namespaced) return;
    await admitLimitRange(this.api, k.resource, obj);
    if (this.opts.podSecurity) await admitPodSecurity(this.api, k.resource, obj, this.opts.podSecurity, 'create');
    await admitQuota(this.api, k, obj, dryRun);
  }

  /** Admit an update of OBJ: Pod Security's warnings (a workload's template, a namespace's labels), then quota on what it grows. */
  async update(k: AdmittedKind & { namespaced?: boolean }, obj: ApiObject, dryRun = false): Promise<void> {
    if (this.opts.podSecurity) await admitPodSecurity(this.api, k.resource, obj, this.opts.podSecurity, 'update');
    if (k.namespaced === true) await admitQuotaUpdate(this.api, k, obj, dryRun);
  }
}
