/** The server's metrics registry, the last-resort net that counts into it, and --metrics-listen. */
import type http from 'node:http';
import { listenMetrics } from '../../metrics/listen.js';
import { serverMetrics, type ServerMetrics } from '../server-metrics.js';
import { installLastResort, type LastResort } from '../last-resort.js';
import type { ServerConfig } from '../server-config.js';
import type { Component } from './component.js';
import { lastResortKey, metricsKey, metricsListenerKey, storeKey } from './keys.js';

/** The server's metrics, around the store. */
export const metrics: Component<ServerConfig, ServerMetrics> = {
  key: metricsKey,
  requires: [storeKey],
  start: ({ get }) => ({ value: serverMetrics(get(storeKey)) }),
};

/** From here on, a fault in one request, stream, watch, controller or node is logged as a BUG, not fatal. */
export const serverLastResort: Component<ServerConfig, LastResort> = {
  key: lastResortKey,
  requires: [metricsKey],
  start: ({ get }) => ({ value: installLastResort('server', get(metricsKey).registry) }),
};

/** /metrics without authentication on --metrics-listen (the API port serves it to the admin token). */
export const serverMetricsListener: Component<ServerConfig, http.Server> = {
  key: metricsListenerKey,
  requires: [metricsKey],
  enabled: (config) => config.metricsListen !== undefined,
  async start({ get, config }) {
    const registry = get(metricsKey).registry;
    const server = await listenMetrics(config.metricsListen!, () => registry.expose());
    return { value: server, stop: () => { server.close(); } };
  },
};
