/**
 * `lcctl build --network` (Docker's flag): what a build's RUN steps are attached to. Checked by lcctl,
 * by the server before it reads the context, and by the node before any step runs.
 */

/** The network choices of a build; Docker's classic builder also takes "bridge" for the default. */
export const BUILD_NETWORK_MODES = ['default', 'none', 'host'] as const;

/** One of BUILD_NETWORK_MODES. */
export type BuildNetworkMode = typeof BUILD_NETWORK_MODES[number];

/**
 * Prefix of the network ids RUN steps take from the node's network plugin ("build-" + 12 hex), so the
 * agent's sweep of networks without a pod leaves them to the builder (pod ids are UIDs, never this).
 */
export const BUILD_NETWORK_ID_PREFIX = 'build-';

/** The mode a --network value names, or undefined when it names none. */
export function buildNetworkMode(value: string): BuildNetworkMode | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'bridge' || v === '') return 'default';
  return (BUILD_NETWORK_MODES as readonly string[]).includes(v) ? v as BuildNetworkMode : undefined;
}

/** The message for a --network value that names no mode. */
export function buildNetworkProblem(value: string): string {
  return `invalid --network "${value}" for a build: use default (the node's pod network, as docker build's bridge), none (loopback only) or host (the node's own network)`;
}
