/**
 * The node's view of its accelerators in the API: capacity and allocatable for every device resource
 * (healthy ones only in allocatable; others' resources kept, as sriov-capacity.ts does), GPU feature
 * discovery's labels (nvidia.com/gpu.product, .memory, .count, gpu.type, huawei.com/npu.*, NFD's
 * pci-10de.present), the `lantern.dev/devices` annotation (each device, its holder and last reading),
 * and a Warning event (DeviceUnhealthy) on the Node and on each pod holding a device that turns bad.
 */
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { nodeDevicesAnnotation, type NodeDeviceInfo } from '../../api/node-devices.js';
import { reportedLabelsAnnotation, nodeMaySetLabel } from '../../api/node-labels.js';
import type { ApiClient } from '../../client/types.js';
import { retryOnConflict } from '../../client/kit/conflict.js';
import type { EventRecorder } from '../../client/kit/events.js';
import type { Assignment } from './assignments.js';
import type { Found } from './units.js';
import { hasPciVendor, nvidiaPciVendor, pciPresentLabel } from './pci.js';

/** What the advertiser reads: the DeviceRegistry (registry.ts) has this shape. */
export interface DeviceSource {
  found(): Found[];
  labels(): Record<string, string>;
  resources(): { capacity: Record<string, string>; allocatable: Record<string, string> };
  assignments(): readonly Assignment[];
  onChange(fn: () => void): void;
}

/** Settings. */
export interface AdvertiserOptions {
  api: ApiClient;
  nodeName: string;
  source: DeviceSource;
  events: Pick<EventRecorder, 'record'>;
  /** Where /sys/bus/pci is (default /sys). */
  sysfsRoot?: string;
  /** Re-apply this often even without a change (a re-registration resets the status); default 30 s. */
  intervalMs?: number;
  log?: (m: string) => void;
}

/** Label keys this module owns: it sets them and removes them when the devices go. */
export function isDeviceLabel(key: string): boolean {
  return key.startsWith('nvidia.com/gpu.') || key.startsWith('huawei.com/npu.') || key === 'gpu.type' || key === pciPresentLabel(nvidiaPciVendor);
}

const MiB = 2 ** 20;

/** The annotation's entries: each device with its holder and reading. */
export function deviceInfos(found: readonly Found[], held: readonly Assignment[]): NodeDeviceInfo[] {
  return found.map(({ device: d }) => {
    const holder = held.find((a) => a.devices.includes(d.id));
    const m = d.metrics ?? {};
    const info: NodeDeviceInfo = { resource: d.resource, id: d.id, healthy: d.healthy };
    if (d.index !== undefined) info.index = d.index;
    if (d.model !== undefined) info.model = d.model;
    if (d.memoryBytes !== undefined) info.memoryMiB = Math.round(d.memoryBytes / MiB);
    if (d.topologyGroup !== undefined) info.topologyGroup = d.topologyGroup;
    if (holder) { info.pod = `${holder.namespace}/${holder.pod}`; info.container = holder.container; }
    if (m.utilization !== undefined) info.utilization = m.utilization;
    if (m.memoryUsedBytes !== undefined) info.memoryUsedMiB = Math.round(m.memoryUsedBytes / MiB);
    if (m.powerWatts !== undefined) info.powerWatts = m.powerWatts;
    if (m.temperatureC !== undefined) info.temperatureC = m.temperatureC;
    return info;
  });
}

/** The labels after this write: device labels as wanted, others (and any an admin set) untouched. */
export function nextLabels(node: Node, wanted: Record<string, string>): Record<string, string> {
  const free = node.metadata.annotations?.[reportedLabelsAnnotation] === undefined; // unrestricted writer's Node
  const out = { ...node.metadata.labels };
  for (const k of Object.keys(out)) if (isDeviceLabel(k) && !(k in wanted) && (free || nodeMaySetLabel(node, k))) delete out[k];
  for (const [k, v] of Object.entries(wanted)) if (free || nodeMaySetLabel(node, k)) out[k] = v;
  return out;
}

/** Keeps the Node's device resources, labels and annotation in step with the node's devices. */
export class DeviceAdvertiser {
  /** Resources written before: a resource whose devices all went stays at 0, as the kubelet does. */
  private readonly owned = new Set<string>();
  private readonly health = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly opts: AdvertiserOptions) {}

  /** Write now, after each discovery that changed something, and every intervalMs. */
  start(): void {
    this.opts.source.onChange(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.opts.intervalMs ?? 30_000);
    this.timer.unref();
    this.kick();
  }

  stop(): void { this.stopped = true; if (this.timer) clearInterval(this.timer); }

  /** Run sync once at a time; a change during a write runs it again after. */
  kick(): void {
    if (this.stopped) return;
    if (this.busy) { this.again = true; return; }
    this.busy = this.sync().catch((e: unknown) => this.opts.log?.(`devices: advertising failed: ${String(e)}`)).finally(() => {
      this.busy = undefined;
      if (this.again) { this.again = false; this.kick(); }
    });
  }

  /** Wait for a write in flight (tests). */
  async settled(): Promise<void> { while (this.busy) await this.busy; }

  /** One write of labels, annotation and status, then the health events. */
  async sync(): Promise<void> {
    const { api, nodeName, source } = this.opts;
    const found = source.found();
    const wantedLabels = { ...source.labels() };
    if (await hasPciVendor(this.opts.sysfsRoot ?? '/sys', nvidiaPciVendor)) wantedLabels[pciPresentLabel(nvidiaPciVendor)] = 'true';
    // A node without devices carries no annotation at all (rather than an empty list on every node).
    const annotation = found.length === 0 ? undefined : JSON.stringify(deviceInfos(found, source.assignments()));
    await retryOnConflict(async () => {
      const node = await api.get<Node>('nodes', nodeName);
      const labels = nextLabels(node, wantedLabels);
      if (JSON.stringify(labels) === JSON.stringify(node.metadata.labels ?? {}) && node.metadata.annotations?.[nodeDevicesAnnotation] === annotation) return;
      const { [nodeDevicesAnnotation]: _old, ...others } = node.metadata.annotations ?? {};
      const annotations = annotation === undefined ? others : { ...others, [nodeDevicesAnnotation]: annotation };
      await api.update<Node>('nodes', { ...node, metadata: { ...node.metadata, labels, annotations } });
    });
    const { capacity, allocatable } = source.resources();
    for (const r of Object.keys(capacity)) this.owned.add(r);
    const zeros = Object.fromEntries([...this.owned].filter((r) => !(r in capacity)).map((r) => [r, '0']));
    await retryOnConflict(async () => {
      const node = await api.get<Node>('nodes', nodeName);
      const cap = { ...node.status?.capacity, ...zeros, ...capacity };
      const alloc = { ...node.status?.allocatable, ...zeros, ...allocatable };
      if (JSON.stringify(cap) === JSON.stringify(node.status?.capacity ?? {}) && JSON.stringify(alloc) === JSON.stringify(node.status?.allocatable ?? {})) return;
      await api.updateStatus('nodes', { ...node, status: { ...node.status, capacity: cap, allocatable: alloc } });
    });
    await this.healthEvents(found);
  }

  private async healthEvents(found: readonly Found[]): Promise<void> {
    const { api, nodeName, events, source } = this.opts;
    for (const { device: d } of found) {
      const before = this.health.get(d.id);
      this.health.set(d.id, d.healthy);
      if (before === d.healthy || (before === undefined && d.healthy)) continue;
      const what = `${d.resource} ${d.id}${d.index !== undefined ? ` (index ${d.index}${d.model ? `, ${d.model}` : ''})` : ''}`;
      const node = await api.get<Node>('nodes', nodeName).catch(() => undefined);
      if (d.healthy) {
        if (node) await events.record(node, 'Normal', 'DeviceHealthy', `${what} is healthy again: back in allocatable`);
        continue;
      }
      if (node) await events.record(node, 'Warning', 'DeviceUnhealthy', `${what} is unhealthy: taken out of allocatable`);
      for (const a of source.assignments().filter((x) => x.devices.includes(d.id))) {
        const pod = await api.get<Pod>('pods', a.pod, a.namespace).catch(() => undefined);
        if (pod && pod.metadata.uid === a.podUid) await events.record(pod, 'Warning', 'DeviceUnhealthy', `${what} held by container ${a.container} is unhealthy`);
      }
    }
  }
}
