/** The scheduler, with its metrics (attempts, pending pods) in the server's registry. */
import { Scheduler } from '../../scheduler/scheduler.js';
import { buildProfile } from '../../scheduler/profile.js';
import type { ServerConfig } from '../server-config.js';
import { key, started, type Component } from './component.js';
import { apiKey, metricsKey } from './keys.js';

/** The default scheduler over the in-process API, with --scheduler-scoring. */
export const scheduler: Component<ServerConfig, Scheduler> = {
  key: key<Scheduler>('scheduler'),
  requires: [apiKey, metricsKey],
  start({ get, config }) {
    const metrics = get(metricsKey);
    const s = new Scheduler(get(apiKey), buildProfile({ scoringStrategy: config.schedulerScoring }), metrics.schedulerHooks);
    metrics.watchScheduler(s);
    return started(s);
  },
};
