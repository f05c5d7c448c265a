/**
 * metrics.k8s.io/v1beta1 (what metrics-server serves, what `lcctl top` reads), computed from the
 * nodes' cAdvisor output: CPU is the rate between two scrapes, memory the working set.
 */
import { ApiError } from '../../api/errors.js';
import { parseExposition, type Sample } from '../../metrics/parse.js';
import type { NodeRegistry } from '../node-registry.js';
import { fetchNodeMetrics } from './node-metrics.js';

/** One scrape of one node: when, and its samples. */
interface Scrape { at: number; samples: Sample[] }

/** A rate needs a previous scrape at least this old, and not older than the window below. */
const minWindowMs = 500;
const maxWindowMs = 120_000;
const apiVersion = 'metrics.k8s.io/v1beta1';

const containerKey = (l: Record<string, string>): string => `${l.namespace}\u0000${l.pod}\u0000${l.container}\u0000${l.name}`;
const cpu = (cores: number): string => `${Math.max(0, Math.round(cores * 1e9))}n`;
const memory = (bytes: number): string => `${Math.max(0, Math.round(bytes / 1024))}Ki`;

/** Serves node and pod usage; keeps the last scrape of each node to compute CPU rates from. */
export class MetricsApi {
  private readonly last = new Map<string, Scrape>();

  constructor(private readonly registry: NodeRegistry, private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))) {}

  /** Two scrapes of NODE at least minWindowMs apart: the kept one when fresh enough, else a new pair. */
  private async pair(node: string): Promise<[Scrape, Scrape]> {
    const scrape = async (): Promise<Scrape> => ({ samples: parseExposition(await fetchNodeMetrics(this.registry, node)), at: Date.now() });
    let prev = this.last.get(node);
    let now = await scrape();
    if (!prev || now.at - prev.at < minWindowMs || now.at - prev.at > maxWindowMs) {
      prev = now;
      await this.sleep(1000);
      now = await scrape();
    }
    this.last.set(node, now);
    return [prev, now];
  }

  /** Pairs of every connected node (or the one named); nodes that fail to answer are left out of lists. */
  private async pairs(only?: string): Promise<Map<string, [Scrape, Scrape]>> {
    const names = only !== undefined ? [only] : this.registry.names();
    const out = new Map<string, [Scrape, Scrape]>();
    await Promise.all(names.map(async (n) => {
      try { out.set(n, await this.pair(n)); } catch (e) { if (only !== undefined) throw e; }
    }));
    for (const n of this.last.keys()) if (only === undefined && !names.includes(n)) this.last.delete(n);
    return out;
  }

  /** NodeMetricsList, or one NodeMetrics when NAME is given. */
  async nodes(name?: string): Promise<unknown> {
    const items = [...(await this.pairs(name)).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([node, [prev, now]]) => {
      const value = (s: Scrape, metric: string): number => s.samples.find((x) => x.name === metric)?.value ?? 0;
      const seconds = (now.at - prev.at) / 1000;
      return {
        metadata: { name: node, creationTimestamp: new Date(now.at).toISOString() },
        timestamp: new Date(now.at).toISOString(),
        window: `${seconds.toFixed(3)}s`,
        usage: {
          cpu: cpu((value(now, 'node_cpu_usage_seconds_total') - value(prev, 'node_cpu_usage_seconds_total')) / seconds),
          memory: memory(value(now, 'node_memory_working_set_bytes')),
        },
      };
    });
    if (name !== undefined) return { kind: 'NodeMetrics', apiVersion, ...items[0] };
    return { kind: 'NodeMetricsList', apiVersion, metadata: {}, items };
  }

  /** PodMetricsList of one namespace (all when undefined), or one PodMetrics when NAME is given. */
  async pods(namespace?: string, name?: string): Promise<unknown> {
    const pods = new Map<string, { metadata: { name: string; namespace: string; creationTimestamp: string }; timestamp: string; window: string; containers: { name: string; usage: { cpu: string; memory: string } }[] }>();
    for (const [prev, now] of (await this.pairs()).values()) {
      const seconds = (now.at - prev.at) / 1000;
      const before = new Map(prev.samples.filter((s) => s.name === 'container_cpu_usage_seconds_total').map((s) => [containerKey(s.labels), s.value]));
      const ws = new Map(now.samples.filter((s) => s.name === 'container_memory_working_set_bytes').map((s) => [containerKey(s.labels), s.value]));
      for (const s of now.samples) {
        if (s.name !== 'container_cpu_usage_seconds_total') continue;
        const { namespace: ns = '', pod = '', container = '' } = s.labels;
        if ((namespace !== undefined && ns !== namespace) || (name !== undefined && pod !== name)) continue;
        const key = `${ns}/${pod}`;
        let entry = pods.get(key);
        if (!entry) {
          const at = new Date(now.at).toISOString();
          entry = { metadata: { name: pod, namespace: ns, creationTimestamp: at }, timestamp: at, window: `${seconds.toFixed(3)}s`, containers: [] };
          pods.set(key, entry);
        }
        const k = containerKey(s.labels);
        // A container that started between the scrapes has no earlier value: its rate is unknown, shown as 0.
        const was = before.get(k);
        entry.containers.push({ name: container, usage: { cpu: cpu(was === undefined ? 0 : (s.value - was) / seconds), memory: memory(ws.get(k) ?? 0) } });
      }
    }
    const items = [...pods.values()].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
    if (name !== undefined) {
      const found = items[0];
      if (!found) throw new ApiError('NotFound', `podmetrics "${name}" not found: the pod is not running, or its node is not connected`);
      return { kind: 'PodMetrics', apiVersion, ...found };
    }
    return { kind: 'PodMetricsList', apiVersion, metadata: {}, items };
  }
}
