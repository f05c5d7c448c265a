/**
 * Leader election in `lanternd server`: one elector on the Lease lantern-system/lantern-leader, and
 * `leaderOnly(component)`, which runs a component (the scheduler, each controller) only while this
 * server leads, handing it an API whose writes are fenced by the lease (server/leader/fence.ts).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { LeaderElector } from '../../server/leader/elector.js';
import { LeaderGate } from '../../server/leader/gate.js';
import { fencedApi } from '../../server/leader/fence.js';
import type { ServerConfig } from '../server-config.js';
import type { Component, Key, StartContext } from './component.js';
import { apiKey, leaderKey, type ServerLeader } from './keys.js';

/** The lease the scheduler and controllers are elected on (kube-controller-manager's is kube-system/kube-controller-manager). */
export const leaderLease = { namespace: 'lantern-system', name: 'lantern-leader' } as const;

/** The elector: with SQLite the store is this process's alone, so it wins at once; with etcd it campaigns. */
export const leaderElection: Component<ServerConfig, ServerLeader> = {
  key: leaderKey,
  requires: [apiKey],
  async start({ get, config }) {
    const api = get(apiKey);
    const log = (msg: string): void => { console.error(msg); };
    const gate = new LeaderGate(log);
    const elector = new LeaderElector({
      api, ...leaderLease, identity: `${hostname()}_${randomUUID()}`,
      sole: config.datastore?.etcd === undefined,
      onStartedLeading: () => gate.won(),
      onStoppedLeading: () => gate.lost(),
      log,
    });
    await elector.start();
    return { value: { elector, gate, api: fencedApi(api, elector) }, stop: () => elector.stop() };
  },
};

/** `c`, run only while this server leads: started on a win (at once when it already leads), stopped on a loss. */
export function leaderOnly<T>(c: Component<ServerConfig, T>): Component<ServerConfig, undefined> {
  return {
    key: { id: c.key.id } as Key<undefined>,
    requires: [...c.requires, leaderKey],
    ...(c.optional ? { optional: c.optional } : {}),
    ...(c.enabled ? { enabled: (config: ServerConfig) => c.enabled?.(config) ?? true } : {}),
    async start(ctx) {
      const leader = ctx.get(leaderKey);
      // The component sees the fenced API wherever it asks for the API; everything else as it was.
      const fenced: StartContext<ServerConfig> = { ...ctx, get: <V>(k: Key<V>): V => (k.id === apiKey.id ? leader.api as V : ctx.get(k)) };
      let stop: (() => void | Promise<void>) | undefined;
      const follower = {
        id: c.key.id,
        start: async () => { stop = (await c.start(fenced)).stop; },
        stop: async () => { const s = stop; stop = undefined; await s?.(); },
      };
      await leader.gate.follow(follower);
      return { value: undefined, stop: () => leader.gate.unfollow(follower) };
    },
  };
}
