/**
 * One ContainerRuntime over several OCI runtime handlers (runc, runsc): a container is created by the
 * handler its config names and every later call goes to the runtime that holds it, found by asking
 * each (a container dir exists in one state dir only), so re-adoption after a restart needs no record.
 */
import type {
  AttachSession, ContainerConfig, ContainerInfo, ContainerRuntime, ContainerStats, ExecOptions, ExecSession,
} from '../types.js';
import { ApiError } from '../../api/errors.js';

/** A handler's name (RuntimeClass.handler) and the runtime that runs its containers. */
export interface NamedHandler {
  name: string;
  runtime: ContainerRuntime;
}

/** Dispatches by ContainerConfig.runtimeHandler; the first handler is the default. */
export class HandlerRuntime implements ContainerRuntime {
  readonly name: string;
  private readonly owners = new Map<string, ContainerRuntime>();

  constructor(private readonly handlers: readonly NamedHandler[]) {
    if (handlers.length === 0) throw new Error('HandlerRuntime needs at least one handler');
    this.name = handlers[0]!.runtime.name;
  }

  /** The handler names this node runs, the default first. */
  handlerNames(): string[] { return this.handlers.map((h) => h.name); }

  version(): Promise<string> { return this.handlers[0]!.runtime.version(); }

  async create(config: ContainerConfig): Promise<ContainerInfo> {
    const wanted = config.runtimeHandler;
    const h = wanted === undefined || wanted === '' ? this.handlers[0]! : this.handlers.find((x) => x.name === wanted);
    if (!h) {
      throw new ApiError('Invalid', `runtime handler "${wanted}" is not configured on this node (it runs ${this.handlerNames().join(', ')}); choose a RuntimeClass whose handler the node reports in status.runtimeHandlers`);
    }
    this.owners.set(config.id, h.runtime);
    return h.runtime.create(config);
  }

  async start(id: string): Promise<void> { return (await this.owner(id)).start(id); }
  async stop(id: string, graceSeconds: number): Promise<void> { return (await this.owner(id)).stop(id, graceSeconds); }
  async remove(id: string): Promise<void> {
    const rt = await this.owner(id);
    await rt.remove(id);
    this.owners.delete(id);
  }
  async wait(id: string): Promise<ContainerInfo> { return (await this.owner(id)).wait(id); }
  async inspect(id: string): Promise<ContainerInfo | undefined> {
    const rt = await this.find(id);
    return rt ? rt.inspect(id) : undefined;
  }
  async list(): Promise<ContainerInfo[]> {
    return (await Promise.all(this.handlers.map((h) => h.runtime.list()))).flat();
  }
  async exec(id: string, opts: ExecOptions): Promise<ExecSession> { return (await this.owner(id)).exec(id, opts); }
  async stats(id: string): Promise<ContainerStats | undefined> {
    const rt = await this.find(id);
    return rt ? rt.stats(id) : undefined;
  }
  async attach(id: string): Promise<AttachSession> {
    const rt = await this.owner(id);
    if (!rt.attach) throw new ApiError('BadRequest', `the runtime of container ${id} cannot attach`);
    return rt.attach(id);
  }

  /** The runtime holding id (the default when none does, so its own "not found" answers). */
  private async owner(id: string): Promise<ContainerRuntime> {
    return (await this.find(id)) ?? this.handlers[0]!.runtime;
  }

  private async find(id: string): Promise<ContainerRuntime | undefined> {
    const known = this.owners.get(id);
    if (known) return known;
    for (const h of this.handlers) {
      if (await h.runtime.inspect(id)) { this.owners.set(id, h.runtime); return h.runtime; }
    }
    return undefined;
  }
}
