import { createHash } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from './exec.js';

/** Where `ip netns add` bind-mounts named namespaces; they outlive the process that made them. */
export const NETNS_DIR = '/var/run/netns';

const NSFS_MAGIC = 0x6e736673;
const RAW_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/**
 * A short, safe key for a pod id, used as netns suffix, CNI_CONTAINERID and state file name.
 * Ids of up to 40 letters, digits, "_", "." or "-" (starting alphanumeric; a UID fits) are used as
 * they are; anything else becomes a readable slug of at most 24 characters plus 12 hex characters
 * of its SHA-256, so different ids never share a key in practice.
 */
export function podKey(podId: string): string {
  if (RAW_ID.test(podId)) return podId;
  const slug = podId.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 24).replace(/[^A-Za-z0-9]+$/, '');
  const hash = createHash('sha256').update(podId).digest('hex').slice(0, 12);
  return slug ? `${slug}-${hash}` : hash;
}

/** Full path of a named namespace. */
export function netnsPath(name: string): string {
  return join(NETNS_DIR, name);
}

/** Whether the named namespace is still mounted (a leftover plain file after a crash does not count). */
export async function netnsExists(name: string): Promise<boolean> {
  try {
    const s = await statfs(netnsPath(name));
    return s.type === NSFS_MAGIC;
  } catch {
    return false;
  }
}

/** Creates a named namespace (ip netns add), which starts with only a down loopback. */
export async function createNetns(name: string): Promise<void> {
  try {
    await runTool('ip', ['netns', 'add', name]);
  } catch (e) {
    // A plain file left by a crash between create and mount blocks the name; clear it once and retry.
    if (await netnsExists(name)) throw e;
    await runTool('ip', ['netns', 'delete', name]).catch(() => undefined);
    await runTool('ip', ['netns', 'add', name]);
  }
}

/** Deletes a named namespace; no error when it is already gone. */
export async function deleteNetns(name: string): Promise<void> {
  try {
    await runTool('ip', ['netns', 'delete', name]);
  } catch (e) {
    if (await netnsExists(name)) throw e;
  }
}
