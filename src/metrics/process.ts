import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Registry } from './registry.js';

/**
 * The standard process metrics of Prometheus' clients (resident memory, CPU seconds, start time)
 * plus Node's event-loop lag, refreshed at each scrape.
 */
export function registerProcessMetrics(reg: Registry): void {
  const rss = reg.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.' });
  const heap = reg.gauge({ name: 'nodejs_heap_size_used_bytes', help: 'Process heap size used from Node.js in bytes.' });
  const cpu = reg.counter({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.' });
  const start = reg.gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.' });
  const lag = reg.gauge({ name: 'nodejs_eventloop_lag_seconds', help: 'Mean event loop delay since the previous scrape, in seconds.' });
  const lagMax = reg.gauge({ name: 'nodejs_eventloop_lag_max_seconds', help: 'Longest event loop delay since the previous scrape, in seconds.' });
  const started = Math.round(Date.now() / 1000 - process.uptime());
  // The monitor samples on libuv's timer at 20 ms resolution: cheap, and it keeps nothing alive.
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  reg.onCollect(() => {
    const m = process.memoryUsage();
    rss.set({}, m.rss);
    heap.set({}, m.heapUsed);
    const u = process.cpuUsage();
    cpu.set({}, (u.user + u.system) / 1e6);
    start.set({}, started);
    const mean = delay.mean;
    lag.set({}, Number.isFinite(mean) ? mean / 1e9 : 0);
    lagMax.set({}, delay.max / 1e9);
    delay.reset();
  });
}
