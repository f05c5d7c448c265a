/** The outcome of one plugin on one node, as kube-scheduler's framework.Status. */
export type StatusCode = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Error' | 'Skip';

export interface Status {
  code: StatusCode;
  /** Short human reasons, counted across nodes in the "0/N nodes are available" message. */
  reasons: string[];
  plugin?: string;
}

export const success: Status = { code: 'Success', reasons: [] };
export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const isSuccess = (s: Status): boolean => s.code === 'Success';
/** From a PreFilter: this plugin has nothing to check for this pod, so its Filter is not run this cycle. */
export const skip: Status = { code: 'Skip', reasons: [] };
/** Something went wrong that is not about the pod or node (a plugin misconfigured in the profile). */
export const errorStatus = (...reasons: string[]): Status => ({ code: 'Error', reasons });
