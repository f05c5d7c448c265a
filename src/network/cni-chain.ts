import { execPlugin } from './cni-exec.js';
import type { CniConfList, CniPluginConf, CniResult, CniRuntime } from './cni-types.js';

/**
 * The config one plugin of a list receives: the list's name and cniVersion replace its own,
 * runtimeConfig carries only the capabilities the plugin declares, prevResult chains results.
 */
export function pluginConfig(list: CniConfList, plugin: CniPluginConf, rt: CniRuntime, prevResult?: CniResult): CniPluginConf {
  const conf: CniPluginConf = { ...plugin, cniVersion: list.cniVersion, name: list.name };
  const runtimeConfig: Record<string, unknown> = {};
  for (const [cap, value] of Object.entries(rt.capabilityArgs ?? {})) {
    if (plugin.capabilities?.[cap] === true) runtimeConfig[cap] = value;
  }
  if (Object.keys(runtimeConfig).length > 0) conf.runtimeConfig = runtimeConfig;
  else delete conf.runtimeConfig;
  if (prevResult) conf.prevResult = prevResult;
  else delete conf.prevResult;
  return conf;
}

/**
 * ADD through the list in order, each plugin getting the previous one's result; returns the last
 * result. onResult sees every intermediate result, so a caller rolling back a half-done ADD can give
 * DEL the addresses already assigned (the firewall plugin removes nothing without them).
 */
export async function addList(
  list: CniConfList, rt: CniRuntime, dirs: string[], onResult?: (r: CniResult) => void,
): Promise<CniResult> {
  let prev: CniResult | undefined;
  for (const plugin of list.plugins) {
    const result = await execPlugin('ADD', pluginConfig(list, plugin, rt, prev), rt, dirs);
    // A plugin that prints nothing passes the previous result on unchanged.
    prev = result ?? prev;
    if (prev) onResult?.(prev);
  }
  if (!prev) throw new Error(`CNI network "${list.name}" has no plugins`);
  return prev;
}

/**
 * DEL through the list in reverse, every plugin getting the cached ADD result (may be absent).
 * Stops at the first failure, as the spec requires; plugins make DEL idempotent, so a retry finishes the job.
 */
export async function delList(list: CniConfList, rt: CniRuntime, dirs: string[], cached?: CniResult): Promise<void> {
  for (const plugin of [...list.plugins].reverse()) {
    await execPlugin('DEL', pluginConfig(list, plugin, rt, cached), rt, dirs);
  }
}

/**
 * CHECK through the list in order with the cached ADD result; throws the first plugin's complaint
 * unless `excuse` accepts it (a known plugin bug the caller verifies another way).
 */
export async function checkList(
  list: CniConfList, rt: CniRuntime, dirs: string[], cached: CniResult,
  excuse?: (plugin: CniPluginConf, err: unknown) => boolean,
): Promise<void> {
  if (list.disableCheck) return;
  for (const plugin of list.plugins) {
    try {
      await execPlugin('CHECK', pluginConfig(list, plugin, rt, cached), rt, dirs);
    } catch (e) {
      if (!excuse?.(plugin, e)) throw e;
    }
  }
}
