/** Paths and users inside a mounted build rootfs, resolved without escaping it through symlinks. */
import { lstat, readFile, readlink } from 'node:fs/promises';

/** root + path with every symlink resolved as if root were '/'; missing components are kept as written. */
export async function scopedPath(root: string, path: string): Promise<string> {
  const todo = path.split('/').filter((s) => s !== '' && s !== '.');
  const cur: string[] = [];
  let hops = 0;
  while (todo.length > 0) {
    const seg = todo.shift() as string;
    if (seg === '..') { cur.pop(); continue; }
    const next = `${root}/${[...cur, seg].join('/')}`;
    const st = await lstat(next).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      if (++hops > 40) throw new Error(`too many levels of symbolic links in ${path}`);
      const target = await readlink(next);
      if (target.startsWith('/')) cur.length = 0;
      todo.unshift(...target.split('/').filter((s) => s !== '' && s !== '.'));
      continue;
    }
    cur.push(seg);
  }
  return cur.length === 0 ? root : `${root}/${cur.join('/')}`;
}

/** Resolves USER / --chown text ("name", "uid", "name:group", "uid:gid") against the rootfs's passwd and group files. */
export async function resolveUserIn(root: string, spec: string): Promise<{ uid: number; gid: number }> {
  if (spec === '') return { uid: 0, gid: 0 };
  const [user = '', group] = spec.split(':', 2);
  const passwd = await readDb(root, '/etc/passwd');
  let uid: number;
  let gid: number | undefined;
  if (/^\d+$/.test(user)) {
    uid = Number(user);
    const entry = passwd.find((f) => f[2] === user);
    gid = entry ? Number(entry[3]) : 0;
  } else {
    const entry = passwd.find((f) => f[0] === user);
    if (!entry) throw new Error(`unable to find user ${user}: no matching entries in passwd file`);
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  }
  if (group !== undefined && group !== '') {
    if (/^\d+$/.test(group)) gid = Number(group);
    else {
      const entry = (await readDb(root, '/etc/group')).find((f) => f[0] === group);
      if (!entry) throw new Error(`unable to find group ${group}: no matching entries in group file`);
      gid = Number(entry[2]);
    }
  }
  return { uid, gid: gid ?? 0 };
}

async function readDb(root: string, file: string): Promise<string[][]> {
  const text = await readFile(await scopedPath(root, file), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
}
