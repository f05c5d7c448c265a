/**
 * The agent's /metrics: cAdvisor's per-container series (what the kubelet serves at
 * /metrics/cadvisor) read from each running container's cgroup, plus the machine's totals.
 */
import { Registry } from '../../metrics/registry.js';
import type { ContainerRuntime } from '../../runtime/types.js';
import type { PodManager } from '../pods/pod-manager.js';
import { readNodeUsage } from './node-usage.js';

const containerLabels = ['namespace', 'pod', 'container', 'image', 'name'] as const;

/** One scrape: a fresh registry, so containers that are gone are gone from the output too. */
export async function nodeMetricsText(runtime: ContainerRuntime, pods: PodManager): Promise<string> {
  const reg = new Registry();
  const labelNames = containerLabels;
  const cpu = reg.counter({ name: 'container_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed in seconds.', labelNames });
  const ws = reg.gauge({ name: 'container_memory_working_set_bytes', help: 'Current working set in bytes.', labelNames });
  const usage = reg.gauge({ name: 'container_memory_usage_bytes', help: 'Current memory usage in bytes, including all memory regardless of when it was accessed.', labelNames });
  const limit = reg.gauge({ name: 'container_spec_memory_limit_bytes', help: 'Memory limit for the container (0: none).', labelNames });
  const tasks = reg.gauge({ name: 'container_processes', help: 'Number of processes running inside the container.', labelNames });
  const cores = reg.gauge({ name: 'machine_cpu_cores', help: 'Number of logical CPU cores.' });
  const memory = reg.gauge({ name: 'machine_memory_bytes', help: 'Amount of memory installed on the machine.' });
  const nodeCpu = reg.counter({ name: 'node_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed by the node in core-seconds.' });
  const nodeWs = reg.gauge({ name: 'node_memory_working_set_bytes', help: 'Current working set of the node in bytes.' });

  const reads: Promise<void>[] = [];
  for (const w of pods.runners.values()) {
    const pod = w.pod;
    for (const c of pod.spec.containers) {
      const info = w.slots.get(c.name)?.current;
      if (!info || info.status !== 'running') continue;
      const labels = { namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, container: c.name, image: c.image, name: info.id };
      reads.push(runtime.stats(info.id).then((s) => {
        if (!s) return; // stopped between the listing and the read
        cpu.set(labels, s.cpuUsageNanos / 1e9);
        ws.set(labels, s.memoryWorkingSetBytes);
        usage.set(labels, s.memoryUsageBytes);
        limit.set(labels, s.memoryLimitBytes ?? 0);
        tasks.set(labels, s.pids);
      }, () => undefined));
    }
  }
  const [node] = await Promise.all([readNodeUsage(), ...reads]);
  cores.set({}, node.cores);
  memory.set({}, node.memoryBytes);
  nodeCpu.set({}, node.cpuSeconds);
  nodeWs.set({}, node.memoryWorkingSetBytes);
  return reg.expose();
}
