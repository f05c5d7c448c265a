/** The CNI spec version Lantern speaks to plugins (containernetworking-plugins >= 1.0 support it). */
export const CNI_VERSION = '1.0.0';

/** One interface in a CNI result. */
export interface CniInterface {
  name: string;
  mac?: string;
  sandbox?: string;
}

/** One address in a CNI result; `interface` indexes `interfaces`. */
export interface CniIpConfig {
  address: string;
  gateway?: string;
  interface?: number;
}

/** The success result a plugin prints on stdout (spec section 5). */
export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIpConfig[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
}

/** One plugin's configuration inside a list; plugin-specific keys are free-form. */
export interface CniPluginConf {
  type: string;
  capabilities?: Record<string, boolean>;
  [key: string]: unknown;
}

/** A network configuration list (conflist). */
export interface CniConfList {
  cniVersion: string;
  name: string;
  disableCheck?: boolean;
  plugins: CniPluginConf[];
}

/** The per-attachment parameters that travel in CNI_* environment variables and runtimeConfig. */
export interface CniRuntime {
  containerId: string;
  netnsPath: string;
  ifName: string;
  /** Capability arguments (e.g. portMappings); a plugin only sees those it declares in `capabilities`. */
  capabilityArgs?: Record<string, unknown>;
}

/** The CNI operations Lantern uses. */
export type CniCommand = 'ADD' | 'DEL' | 'CHECK';

/** Narrows parsed JSON to a CniResult (enough shape to read addresses from it). */
export function isCniResult(v: unknown): v is CniResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.cniVersion === 'string'
    && (r.ips === undefined || Array.isArray(r.ips))
    && (r.interfaces === undefined || Array.isArray(r.interfaces));
}
