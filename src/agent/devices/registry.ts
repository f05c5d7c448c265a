/**
 * The node's DeviceRegistry: runs every DeviceProvider's discover() on an interval, advertises the
 * schedulable units (units.ts: devices, time-slicing replicas, MPS memory), assigns specific units to
 * a container that asks for a device resource in resources.limits (allocate.ts: never one unit to two
 * containers, one topology group where it can, the GPUs the pod named), persists the assignments
 * (assignments.ts) and turns them into ContainerEdits through the providers' edits().
 */
import type { Container, Pod } from '../../api/pod.js';
import { parseQuantity } from '../../api/quantity.js';
import { GPU_DEVICES_ANNOTATION, parseGpuDevices } from '../../api/device-annotations.js';
import type { ContainerEdits, Device, DeviceProvider, ProviderReport } from './types.js';
import { GPU_MEMORY_RESOURCE, SHAREABLE, resourceCounts, unitsOf, type Found, type Sharing, type Unit } from './units.js';
import { chooseUnits } from './allocate.js';
import { AssignmentFile, type Assignment } from './assignments.js';
import { mergeEdits } from './edits.js';
import type { MpsDaemons } from './mps.js';
import type { DeviceAnswer, DevicePlugin } from '../pods/hooks/devices.js';

/** What the registry needs. */
export interface DeviceRegistryOptions {
  providers: readonly DeviceProvider[];
  /** The agent's data dir: assignments in DATA_DIR/devices/assignments.json. */
  dataDir: string;
  sharing?: Sharing;
  /** How often to discover (default 10 s). */
  intervalMs?: number;
  /** The node's MPS daemons (sharing mps). */
  mps?: MpsDaemons;
  log?: (msg: string) => void;
  /** Resolves CDI device names to edits (G1's cdi-spec.ts resolver over the node's spec dirs). */
  cdi?: (names: string[]) => Promise<ContainerEdits>;
}

/** A request that can never be met on this node (a GPU it does not have): the user must change the pod. */
export class DeviceRequestError extends Error {
  override readonly name = 'DeviceRequestError';
}

/** The node's devices, their sharing, and which container holds which (the devices hook's plugin). */
export class DeviceRegistry implements DevicePlugin {
  readonly name = 'devices';
  private reports = new Map<string, ProviderReport>();
  private held: Assignment[];
  private readonly file: AssignmentFile;
  private readonly sharing: Sharing;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: Array<() => void> = [];
  private readonly log: (msg: string) => void;

  constructor(private readonly opts: DeviceRegistryOptions) {
    this.file = new AssignmentFile(opts.dataDir);
    this.sharing = opts.sharing ?? { mode: 'none', replicas: 1 };
    this.log = opts.log ?? (() => undefined);
    try { this.held = this.file.load(); } catch (e) { this.log(`devices: ignoring unreadable ${this.file.file}: ${(e as Error).message}`); this.held = []; }
  }

  /** Discover now and then every intervalMs. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => { void this.refresh(); }, this.opts.intervalMs ?? 10_000);
    this.timer.unref();
  }

  /** Stop discovering and close the providers. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const p of this.opts.providers) await p.close?.().catch(() => undefined);
  }

  /** Ask every provider again; a provider that fails keeps its last report. */
  async refresh(): Promise<void> {
    const before = JSON.stringify([...this.reports]);
    for (const p of this.opts.providers) {
      try { this.reports.set(p.name, await p.discover()); } catch (e) { this.log(`devices: ${p.name}: discovery failed: ${(e as Error).message}`); }
    }
    if (JSON.stringify([...this.reports]) !== before) for (const fn of this.listeners) fn();
  }

  /** Call fn after a discovery that changed something (G1's advertiser follows this). */
  onChange(fn: () => void): void { this.listeners.push(fn); }

  /** Every device found, with its provider. */
  found(): Found[] { return [...this.reports].flatMap(([provider, r]) => r.devices.map((device) => ({ provider, device }))); }

  /** The labels the providers set. */
  labels(): Record<string, string> { return Object.assign({}, ...[...this.reports.values()].map((r) => r.labels)) as Record<string, string>; }

  /** Capacity and allocatable per device resource (replicas and MPS memory counted). */
  resources(): { capacity: Record<string, string>; allocatable: Record<string, string> } { return resourceCounts(this.found(), this.sharing); }

  /** The sharing setting. */
  sharingMode(): Sharing { return this.sharing; }

  /** Who holds what (G1's lantern.dev/devices annotation and metrics). */
  assignments(): readonly Assignment[] { return this.held; }

  /** The edits for one container, assigning its devices first when it has none yet. */
  async allocate(pod: Pod, container: Container): Promise<DeviceAnswer> {
    const uid = pod.metadata.uid ?? '';
    const units = unitsOf(this.found(), this.sharing);
    const resources = new Set(units.map((u) => u.resource));
    if (this.sharing.mode === 'mps') resources.add(GPU_MEMORY_RESOURCE);
    const asks: Array<{ resource: string; amount: number }> = [];
    for (const [resource, q] of Object.entries(container.resources?.limits ?? container.resources?.requests ?? {})) {
      const amount = parseQuantity(q);
      if (!amount) continue;
      // Resources no provider of this node has (SR-IOV VFs, others' extended resources) are not ours.
      if (resources.has(resource)) asks.push({ resource, amount });
    }
    const mine: Assignment[] = [];
    for (const ask of asks) {
      const had = this.held.find((a) => a.podUid === uid && a.container === container.name && a.resource === ask.resource);
      if (had) { mine.push(had); continue; }
      const made = ask.resource === GPU_MEMORY_RESOURCE ? this.pickMemory(pod, container, ask.amount, units) : this.pickUnits(pod, container, ask.resource, ask.amount, units);
      if ('wait' in made) return made;
      this.held.push(made);
      mine.push(made);
      this.save();
    }
    if (mine.length === 0) return { edits: undefined };
    return { edits: await this.editsFor(mine, units, uid, container.name) };
  }

  /** Free what a pod holds (its containers are gone). */
  release(pod: Pod): Promise<void> {
    this.releaseUid(pod.metadata.uid ?? '');
    return Promise.resolve();
  }

  /** The edits of CDI device names, through the node's resolver. */
  resolveCdi(names: string[]): Promise<ContainerEdits> {
    if (!this.opts.cdi) return Promise.reject(new Error('this node has no CDI specs to resolve them (lanternd agent --cdi-spec-dirs)'));
    return this.opts.cdi(names);
  }

  /** Free what the pod of this uid holds. */
  releaseUid(podUid: string): void {
    const left = this.held.filter((a) => a.podUid !== podUid);
    if (left.length === this.held.length) return;
    const shared = (list: Assignment[]): Set<string> => new Set(list.filter((a) => a.memoryBytes !== undefined).flatMap((a) => a.devices));
    const still = shared(left);
    const idle = [...shared(this.held)].filter((d) => !still.has(d));
    this.held = left;
    this.save();
    // A GPU whose last MPS client went: stop its daemon, so the GPU can be given whole again cleanly.
    for (const id of idle) {
      const d = this.found().find((f) => f.device.id === id)?.device;
      if (d && this.opts.mps) void this.opts.mps.quit(d).catch((e: unknown) => this.log(`devices: ${(e as Error).message}`));
    }
  }

  /** Free the assignments of pods that are gone: those not in `live`, made before `listedAt`. */
  prune(live: ReadonlySet<string>, listedAt: Date): void {
    const left = this.held.filter((a) => live.has(a.podUid) || Date.parse(a.at) > listedAt.getTime());
    if (left.length === this.held.length) return;
    this.log(`devices: freed ${this.held.length - left.length} assignment(s) of pods that are gone`);
    this.held = left;
    this.save();
  }

  private save(): void {
    try { this.file.save(this.held); } catch (e) { this.log(`devices: cannot save ${this.file.file}: ${(e as Error).message}`); }
  }

  private record(pod: Pod, container: Container, resource: string, units: string[], devices: string[], memoryBytes?: number): Assignment {
    const a: Assignment = { podUid: pod.metadata.uid ?? '', namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, container: container.name, resource, units, devices, at: new Date().toISOString() };
    if (memoryBytes !== undefined) a.memoryBytes = memoryBytes;
    return a;
  }

  private pickUnits(pod: Pod, container: Container, resource: string, count: number, units: Unit[]): Assignment | { wait: string } {
    const taken = new Set(this.held.flatMap((a) => a.units));
    // A GPU with MPS clients is not given whole, and a whole GPU takes no MPS clients.
    const fractional = new Set(this.held.filter((a) => a.memoryBytes !== undefined).flatMap((a) => a.devices));
    const all = units.filter((u) => u.resource === resource);
    const free = all.filter((u) => !taken.has(u.id) && !fractional.has(u.device.id));
    const use = new Map<string, number>();
    for (const a of this.held) for (const d of a.devices) use.set(d, (use.get(d) ?? 0) + 1);
    const raw = SHAREABLE.has(resource) ? pod.metadata.annotations?.[GPU_DEVICES_ANNOTATION] : undefined;
    let want: string[] | undefined;
    try { want = raw === undefined ? undefined : parseGpuDevices(raw); } catch (e) { throw new DeviceRequestError(`${GPU_DEVICES_ANNOTATION}: ${(e as Error).message}`); }
    const c = chooseUnits(free, all, Math.ceil(count), want, use);
    if ('error' in c) {
      if (c.fatal) throw new DeviceRequestError(`${resource}: ${c.error}`);
      return { wait: `${resource}: ${c.error}` };
    }
    return this.record(pod, container, resource, c.units.map((u) => u.id), [...new Set(c.units.map((u) => u.device.id))]);
  }

  private pickMemory(pod: Pod, container: Container, bytes: number, units: Unit[]): Assignment | { wait: string } {
    const whole = new Set(this.held.filter((a) => a.memoryBytes === undefined).flatMap((a) => a.devices));
    const used = new Map<string, number>();
    for (const a of this.held) if (a.memoryBytes !== undefined) for (const d of a.devices) used.set(d, (used.get(d) ?? 0) + a.memoryBytes);
    const gpus = [...new Map(units.filter((u) => SHAREABLE.has(u.resource) && u.device.healthy && !whole.has(u.device.id)).map((u) => [u.device.id, u.device])).values()];
    const room = (d: Device): number => (d.memoryBytes ?? 0) - (used.get(d.id) ?? 0);
    // Best fit: the GPU with the least room that still holds it, so large shares find a GPU later.
    const fit = gpus.filter((d) => room(d) >= bytes).sort((a, b) => room(a) - room(b))[0];
    if (!fit) return { wait: `${GPU_MEMORY_RESOURCE}: no GPU on this node has ${bytes} bytes free` };
    return this.record(pod, container, GPU_MEMORY_RESOURCE, [fit.id], [fit.id], bytes);
  }

  private async editsFor(mine: Assignment[], units: Unit[], podUid: string, container: string): Promise<ContainerEdits> {
    let out: ContainerEdits = {};
    const byProvider = new Map<string, Map<string, Device>>();
    for (const a of mine) {
      for (const id of a.devices) {
        const u = units.find((x) => x.device.id === id);
        if (!u) throw new Error(`device ${id} held by this container is no longer on the node`);
        const m = byProvider.get(u.provider) ?? new Map<string, Device>();
        m.set(id, u.device);
        byProvider.set(u.provider, m);
        if (a.memoryBytes !== undefined && this.opts.mps) {
          await this.opts.mps.ensure(u.device);
          out = mergeEdits(out, this.opts.mps.edits(u.device, a.memoryBytes));
        }
      }
    }
    for (const [name, devs] of byProvider) {
      const p = this.opts.providers.find((x) => x.name === name);
      if (p) out = mergeEdits(out, await p.edits([...devs.values()].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)), { podUid, container }));
    }
    return out;
  }
}
