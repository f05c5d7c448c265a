/**
 * A RUN step's network, as under `docker build`: with the default mode each step gets a namespace from
 * the node's own network plugin (the pod bridge, its IPAM and masquerade), torn down after the step.
 */
import { BUILD_NETWORK_ID_PREFIX, type BuildNetworkMode } from '../api/build-network.js';

/** The part of the node's NetworkPlugin (network/types.ts) a build uses; the builder may not import network/. */
export interface BuildNetworkPlugin {
  setUp(id: string, mode: 'bridge', ports: never[]): Promise<{ netnsPath: string }>;
  tearDown(id: string, ports: never[]): Promise<void>;
  list?(): Promise<string[]>;
}

/** One build's network choice and the plugin that provides the default one. */
export interface BuildNetwork {
  mode: BuildNetworkMode;
  plugin?: BuildNetworkPlugin;
}

/** The network id a step takes from the plugin: the prefix the agent's sweep leaves alone, then 12 hex. */
export function stepNetworkId(stepId: string): string {
  return BUILD_NETWORK_ID_PREFIX + stepId.slice(0, 12);
}

/** Runs fn with the runtime's netns for the step ('none', 'host' or a namespace path); the step's network is gone after. */
export async function withStepNetwork<T>(net: BuildNetwork, stepId: string, fn: (netns: string) => Promise<T>): Promise<T> {
  if (net.mode === 'none' || net.mode === 'host') return fn(net.mode);
  const plugin = net.plugin;
  if (!plugin) throw new Error('this node has no network plugin for builds: build with --network none or --network host');
  const id = stepNetworkId(stepId);
  let failed = false;
  try {
    const attached = await plugin.setUp(id, 'bridge', []);
    return await fn(attached.netnsPath);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    // A teardown error must not hide the step's own error; alone it fails the step (a leaked address).
    await plugin.tearDown(id, []).catch((e: unknown) => {
      if (!failed) throw new Error(`cannot remove the network of build step ${id}: ${(e as Error).message}`);
    });
  }
}

/** Tears down step networks a build interrupted by a crash left behind. */
export async function recoverStepNetworks(plugin: BuildNetworkPlugin | undefined): Promise<void> {
  for (const id of await plugin?.list?.() ?? []) {
    if (id.startsWith(BUILD_NETWORK_ID_PREFIX)) await plugin?.tearDown(id, []);
  }
}
