import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { RuncRuntime } from '../runtime/runc/runtime.js';
import { nodeHandlerRuntime } from '../runtime/handlers/node-runtime.js';
import { openImageStore } from '../image/index.js';
import { ImageBuilder } from '../builder/builder.js';
import { pullForPod } from '../agent/server-registry.js';
import { plainAccess, type RegistryAccess } from '../agent/registry-access.js';
import { CniNetwork, PendingNetwork } from '../network/index.js';
import type { ContainerRuntime } from '../runtime/types.js';
import type { ImageStore } from '../image/types.js';
import type { NetworkPlugin } from '../network/types.js';

/** Settings of the real per-node components. */
export interface NodeComponentOptions {
  dataDir: string;
  bridge?: string;
  cgroupParent?: string;
  /** The C compiler for the runtime's attach helper ($CC, read by the entry point); default cc. */
  cc?: string;
  /** How a build's FROM reaches registries (the server's built-in one included); default loopback only. */
  registries?: RegistryAccess;
}

/** The node's runtime (runc + conmon), image store and CNI network, all under the data dir. */
export interface NodeComponents {
  runtime: ContainerRuntime; images: ImageStore; network: NetworkPlugin; builder: ImageBuilder;
  /** The node's CNI network on its pod range, made by the pod network (agent/network) once the Node has spec.podCIDR. */
  makeNetwork(subnet: string, mtu: number, clusterCidr: string): NetworkPlugin;
}

/**
 * Build the real components. Names that live in host-wide namespaces (cgroups, netns names) get a
 * suffix derived from the data dir, so two daemons on one host (tests) never touch each other's.
 */
export async function buildNodeComponents(opts: NodeComponentOptions): Promise<NodeComponents> {
  // Without cgroup mounts (e.g. under `ip netns exec`, which remounts /sys) every container would fail
  // to start; refuse to run the node at all rather than register it Ready.
  if (!existsSync('/sys/fs/cgroup/cgroup.controllers') && !existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes')) {
    throw new Error('no cgroup filesystem is mounted at /sys/fs/cgroup (v1 memory controller or v2): containers cannot be limited or started. '
      + 'Start lanternd in a mount namespace that has /sys/fs/cgroup (use `nsenter --net=...` rather than `ip netns exec`).');
  }
  const dataDir = path.resolve(opts.dataDir);
  const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 6);
  const defaultDir = dataDir === '/var/lib/lantern';
  const cgroupParent = opts.cgroupParent ?? (defaultDir ? 'lantern' : `lantern-${tag}`);
  const runtime = await nodeHandlerRuntime({ dataDir, cgroupParent, cc: opts.cc, log: (m) => console.error(`lanternd: runtime: ${m}`) });
  // Pods wait for the node's range (spec.podCIDR from the server's node IPAM); makeNetwork builds it then.
  const network = new PendingNetwork();
  const makeNetwork = (subnet: string, mtu: number, clusterCidr: string): NetworkPlugin => new CniNetwork({
    stateDir: path.join(dataDir, 'network'),
    bridge: opts.bridge ?? 'lantern0',
    subnet, mtu, clusterCidr,
    netnsPrefix: defaultDir ? 'lantern-' : `lt${tag}-`,
    networkName: defaultDir ? 'lantern' : `lantern-${tag}`,
  });
  const images = await openImageStore(path.join(dataDir, 'images'), {
    // A layer that a live container stacks must survive `image rm`.
    inUse: async (dir) => {
      const live = await runtime.list();
      for (const c of live) {
        const image = await images.resolve(c.labels['lantern.container.image-id'] ?? '');
        if (image && (await images.layerDirs(image)).includes(dir)) return true;
      }
      return false;
    },
  });
  // RUN steps get a runtime of their own (own state dir): the agent must not see them as orphan pod containers.
  const buildRuntime = new RuncRuntime({ stateDir: path.join(dataDir, 'build-cache', 'runtime'), cgroupParent });
  // RUN steps take their namespaces from the node's own network plugin (its bridge, IPAM and masquerade), as docker build's bridge.
  const builder = new ImageBuilder({ images, runtime: buildRuntime, cacheDir: path.join(dataDir, 'build-cache'), network,
    // FROM pulls as a pod would: the server's registry by its own address, the mirror first on remote agents.
    pull: async (ref) => { await pullForPod(images, ref, opts.registries ?? plainAccess, (m) => console.error(`lanternd: build: ${m}`)); } });
  return { runtime, images, network, builder, makeNetwork };
}
