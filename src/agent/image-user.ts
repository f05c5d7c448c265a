import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Find a file in stacked layer directories, top-most first (what overlay would show). */
async function readFromLayers(layers: string[], file: string): Promise<string | undefined> {
  for (const dir of layers) {
    try { return await readFile(path.join(dir, file), 'utf8'); } catch { /* not in this layer */ }
  }
  return undefined;
}

/**
 * Resolve an image or CLI user spec ("1000", "1000:1000", "nobody", "nobody:nogroup") to numeric ids
 * using the image's /etc/passwd and /etc/group, as Docker does.
 */
export async function resolveUser(spec: string, layers: string[]): Promise<{ uid: number; gid: number }> {
  const [userPart = '', groupPart] = spec.split(':');
  let uid: number;
  let gid: number | undefined;
  if (/^[0-9]+$/.test(userPart)) {
    uid = Number(userPart);
  } else {
    const passwd = await readFromLayers(layers, 'etc/passwd') ?? '';
    const entry = passwd.split('\n').map((l) => l.split(':')).find((f) => f[0] === userPart);
    if (!entry) throw new Error(`unable to find user ${userPart}: no matching entries in passwd file`);
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (/^[0-9]+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const group = await readFromLayers(layers, 'etc/group') ?? '';
      const entry = group.split('\n').map((l) => l.split(':')).find((f) => f[0] === groupPart);
      if (!entry) throw new Error(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = Number(entry[2]);
    }
  }
  if (gid === undefined) {
    const passwd = await readFromLayers(layers, 'etc/passwd') ?? '';
    const entry = passwd.split('\n').map((l) => l.split(':')).find((f) => Number(f[2]) === uid && f[2] !== undefined);
    gid = entry ? Number(entry[3]) : 0;
  }
  return { uid, gid };
}
