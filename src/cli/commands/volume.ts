/** lcctl volume create|ls|inspect|rm|prune: Docker's volume verbs over PersistentVolumeClaims (cli/volumes/spec.ts). */
import type { Pod } from '../../api/pod.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/schema/storage.js';
import type { HttpClient } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { CliError, UsageError, isCode } from '../errors.js';
import { dockerStyle, renderTable } from '../output/table.js';
import { STATIC_PV_ANNOTATION, VOLUME_LABEL, keyValues } from '../volumes/spec.js';
import { createVolume, driverOf, inspectView, listVolumes, volumeUsers } from '../volumes/store.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'volume',
  usage: 'volume create [--driver local|STORAGECLASS] [-o type=nfs -o o=addr=HOST[,OPTS] -o device=:/export] [-o size=10Gi] [--label K=V] NAME | ls [-q] [--filter K=V] | inspect NAME... | rm [-f] NAME... | prune [-a] [--filter label=K=V]',
  summary: 'Manage volumes (create, ls, inspect, rm, prune)',
  style: 'docker',
  flags: [
    { name: 'driver', short: 'd', type: 'string', help: 'local (the default StorageClass, or an NFS export with -o type=nfs) or a StorageClass name' },
    { name: 'opt', short: 'o', type: 'list', help: 'Driver option KEY=VALUE: type=nfs, o=addr=HOST,..., device=:/export, size=QUANTITY' },
    { name: 'label', type: 'list', help: 'Volume label KEY=VALUE' },
    { name: 'filter', type: 'list', help: 'ls/prune: name=, driver=, label=KEY[=VALUE], dangling=true|false' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'ls: only names' },
    { name: 'force', short: 'f', type: 'bool', help: 'rm: no error for a volume that does not exist; prune: do not prompt (lcctl never prompts)' },
    { name: 'all', short: 'a', type: 'bool', help: 'prune: every unused volume (lcctl has no anonymous claims, so prune always does this)' },
    namespaceFlag,
  ],
};

async function livePods(client: HttpClient, ns: string): Promise<Pod[]> {
  return (await client.list<Pod>('pods', ns)).items.filter((p) => p.metadata.deletionTimestamp === undefined);
}

/** Docker's --filter on volumes; an unknown key is an error naming the ones known. */
function matches(v: PersistentVolumeClaim, filters: readonly string[], pods: readonly Pod[]): boolean {
  for (const f of filters) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid argument "${f}" for "--filter" flag: expected KEY=VALUE`);
    const key = f.slice(0, eq);
    const value = f.slice(eq + 1);
    if (key === 'name') { if (!v.metadata.name.includes(value)) return false; } else if (key === 'driver') { if (driverOf(v) !== value) return false; } else if (key === 'label') {
      const [k, want] = value.split('=', 2) as [string, string | undefined];
      const have = v.metadata.labels?.[k];
      if (have === undefined || (want !== undefined && have !== want)) return false;
    } else if (key === 'dangling') {
      if (value !== 'true' && value !== 'false' && value !== '1' && value !== '0') throw new UsageError(`invalid filter dangling=${value}: expected true or false`);
      const unused = volumeUsers(v.metadata.name, pods).length === 0;
      if (unused !== (value === 'true' || value === '1')) return false;
    } else throw new UsageError(`invalid filter "${key}": expected name, driver, label or dangling`);
  }
  return true;
}

async function boundPv(client: HttpClient, pvc: PersistentVolumeClaim): Promise<PersistentVolume | undefined> {
  const name = pvc.spec.volumeName;
  if (!name) return undefined;
  try { return await client.get<PersistentVolume>('persistentvolumes', name); } catch (e) {
    if (isCode(e, 'NotFound')) return undefined;
    throw e;
  }
}

/** Removes the claim and the static PV made for it (Retain: the data stays where it is). */
async function removeVolume(client: HttpClient, pvc: PersistentVolumeClaim): Promise<void> {
  await client.delete('persistentvolumeclaims', pvc.metadata.name, pvc.metadata.namespace);
  const pv = pvc.metadata.annotations?.[STATIC_PV_ANNOTATION];
  if (pv) await client.delete('persistentvolumes', pv).catch((e: unknown) => { if (!isCode(e, 'NotFound')) throw e; });
}

async function remove(client: HttpClient, p: Parsed, ns: string, names: string[]): Promise<number> {
  if (names.length === 0) throw new UsageError('"volume rm" requires at least 1 argument: lcctl volume rm [-f] VOLUME [VOLUME...]');
  const pods = await livePods(client, ns);
  let failed = false;
  for (const name of names) {
    try {
      const pvc = await client.get<PersistentVolumeClaim>('persistentvolumeclaims', name, ns);
      if (pvc.metadata.labels?.[VOLUME_LABEL] !== 'true') throw new CliError(`${name} is a PersistentVolumeClaim not made by lcctl volume: delete it with lcctl delete pvc ${name}`);
      const users = volumeUsers(name, pods);
      if (users.length > 0) {
        throw new CliError(`remove ${name}: volume is in use - [${users.map((u) => u.metadata.name).join(', ')}]: remove those containers first (lcctl rm -f ${users.map((u) => u.metadata.name).join(' ')})`);
      }
      await removeVolume(client, pvc);
      process.stdout.write(`${name}\n`);
    } catch (e) {
      if (p.bool('force') && isCode(e, 'NotFound')) continue;
      const msg = isCode(e, 'NotFound') ? `get ${name}: no such volume` : (e as Error).message;
      process.stderr.write(`Error response from daemon: ${msg}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  const client = connect(p);
  const ns = namespaceOf(p);
  switch (sub) {
    case 'create': {
      if (rest.length > 1) throw new UsageError('"volume create" requires at most 1 argument: lcctl volume create [OPTIONS] [VOLUME]');
      const name = rest[0] ?? `vol-${Date.now().toString(36)}`;
      await createVolume(client, { name, namespace: ns, driver: p.str('driver'), opts: p.list('opt'), labels: p.list('label') });
      process.stdout.write(`${name}\n`);
      return 0;
    }
    case 'ls': case 'list': {
      const pods = await livePods(client, ns);
      const vols = (await listVolumes(client, ns)).filter((v) => matches(v, p.list('filter'), pods));
      if (p.bool('quiet')) { process.stdout.write(vols.map((v) => `${v.metadata.name}\n`).join('')); return 0; }
      process.stdout.write(renderTable(['DRIVER', 'VOLUME NAME'], vols.map((v) => [driverOf(v), v.metadata.name]), dockerStyle));
      return 0;
    }
    case 'inspect': {
      if (rest.length === 0) throw new UsageError('"volume inspect" requires at least 1 argument: lcctl volume inspect VOLUME [VOLUME...]');
      const out: unknown[] = [];
      let failed = false;
      for (const name of rest) {
        try {
          const pvc = await client.get<PersistentVolumeClaim>('persistentvolumeclaims', name, ns);
          out.push(inspectView(pvc, await boundPv(client, pvc)));
        } catch (e) {
          if (!isCode(e, 'NotFound')) throw e;
          process.stderr.write(`Error response from daemon: get ${name}: no such volume\n`);
          failed = true;
        }
      }
      process.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
      return failed ? 1 : 0;
    }
    case 'rm': case 'remove': return remove(client, p, ns, rest);
    case 'prune': {
      keyValues('--filter', p.list('filter'));
      const pods = await livePods(client, ns);
      const unused = (await listVolumes(client, ns)).filter((v) => matches(v, p.list('filter'), pods) && volumeUsers(v.metadata.name, pods).length === 0);
      for (const v of unused) await removeVolume(client, v);
      process.stdout.write(`${unused.length > 0 ? `Deleted Volumes:\n${unused.map((v) => `${v.metadata.name}\n`).join('')}\n` : ''}Total reclaimed space: 0B\n`);
      return 0;
    }
    default:
      throw new UsageError('lcctl volume needs a subcommand: create, ls, inspect, rm or prune');
  }
}
