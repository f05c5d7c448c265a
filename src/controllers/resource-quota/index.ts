/** The resource quota controller: status.hard and status.used of every ResourceQuota. */
export { ResourceQuotaController, type ResourceQuotaControllerOptions } from './controller.js';
