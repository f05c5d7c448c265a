/**
 * The CSI v1 messages Lantern sends and reads, as @grpc/proto-loader decodes them (camelCase fields,
 * enums as names, int64 as decimal strings). Only the fields Lantern uses are typed.
 */

/** Kubernetes' plugin type for CSI drivers in the registration API. */
export const CSI_PLUGIN_TYPE = 'CSIPlugin';

/** A topology segment map, e.g. { 'topology.hostpath.csi/node': 'n1' }. */
export interface Topology { segments: Record<string, string> }

/** How a volume is used: a mounted filesystem with an access mode. */
export interface VolumeCapability {
  mount?: { fsType: string; mountFlags: string[] };
  block?: Record<string, never>;
  accessMode: { mode: AccessModeName };
}

/** CSI access modes. */
export type AccessModeName = 'SINGLE_NODE_WRITER' | 'SINGLE_NODE_READER_ONLY' | 'MULTI_NODE_READER_ONLY'
  | 'MULTI_NODE_SINGLE_WRITER' | 'MULTI_NODE_MULTI_WRITER' | 'SINGLE_NODE_SINGLE_WRITER' | 'SINGLE_NODE_MULTI_WRITER';

/** Bytes as int64 (a decimal string on the wire decode; a number or string on encode). */
export type Int64 = string | number;

/** A capacity range: at least required, at most limit (0: unset). */
export interface CapacityRange { requiredBytes: Int64; limitBytes?: Int64 }

/** A provisioned volume. */
export interface CsiVolume {
  capacityBytes: Int64;
  volumeId: string;
  volumeContext: Record<string, string>;
  accessibleTopology: Topology[];
}

/** A plugin or RPC capability as decoded: one of its oneof members. */
export interface Capability { type?: string; service?: { type: string }; volumeExpansion?: { type: string }; rpc?: { type: string } }

/** What a driver said about itself at registration. */
export interface DriverInfo {
  /** GetPluginInfo name (the StorageClass provisioner and PV spec.csi.driver). */
  name: string;
  vendorVersion: string;
  /** Its node service's id for this node (NodeGetInfo). */
  nodeId: string;
  /** NodeGetInfo accessible_topology segments (empty: everywhere). */
  topology: Record<string, string>;
  /** GetPluginCapabilities service types: CONTROLLER_SERVICE, VOLUME_ACCESSIBILITY_CONSTRAINTS. */
  pluginCapabilities: string[];
  /** ControllerGetCapabilities rpc types (empty without a controller service). */
  controllerCapabilities: string[];
  /** NodeGetCapabilities rpc types: STAGE_UNSTAGE_VOLUME, EXPAND_VOLUME, ... */
  nodeCapabilities: string[];
}

/** The capability types as decoded: only the ones with a name. */
export function capabilityTypes(caps: readonly Capability[] | undefined): string[] {
  const out: string[] = [];
  for (const c of caps ?? []) {
    const t = c.service?.type ?? c.rpc?.type ?? (c.volumeExpansion ? `VOLUME_EXPANSION_${c.volumeExpansion.type}` : undefined);
    if (t) out.push(t);
  }
  return out;
}
