/** lcctl delete: delete objects by kind and name, by selector, or those in manifest files. */
import type { ApiObject } from '../../api/meta.js';
import type { HttpClient } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { deleteUsers, isUsersArg } from '../auth/users.js';
import { CliError, UsageError, isCode, kubeErrorLine } from '../errors.js';
import type { KindModule } from '../../api/kinds/module.js';
import { kindListText, resolveKind, unknownKindMessage } from '../../api/kinds/names.js';
import { deletePod } from '../pods/ops.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'delete',
  usage: 'delete (KIND NAME... | KIND/NAME... | -f FILENAME | KIND --all | KIND -l SELECTOR) [OPTIONS]',
  summary: 'Delete objects (pods are stopped gracefully by their node first)',
  style: 'kubectl',
  flags: [
    { name: 'filename', short: 'f', type: 'list', help: 'File, directory or - (stdin) with the objects to delete' },
    { name: 'recursive', short: 'R', type: 'bool', help: 'Process the directories given with -f recursively' },
    namespaceFlag,
    { name: 'all', type: 'bool', help: 'Delete every object of the kind in the namespace' },
    { name: 'selector', short: 'l', type: 'string', help: 'Delete the objects matching a label selector' },
    { name: 'grace-period', type: 'int', help: "Seconds given to the containers to stop; -1 uses the pod's own; 0 kills at once", default: '-1' },
    { name: 'now', type: 'bool', help: 'Signal the containers for immediate shutdown (grace period 1)' },
    { name: 'force', type: 'bool', help: 'With --grace-period=0: remove at once without waiting for the node' },
    { name: 'wait', type: 'bool', help: 'Wait until the objects are gone', default: 'true' },
    { name: 'ignore-not-found', type: 'bool', help: 'Treat "not found" as a successful delete' },
  ],
};

interface Item { kind: KindModule; name: string; namespace?: string }

async function targets(client: HttpClient, p: Parsed): Promise<Item[]> {
  const ns = p.str('namespace') || 'default';
  const files = p.list('filename');
  if (files.length > 0) {
    if (p.args.length > 0) throw new UsageError('specify objects either with -f or by KIND NAME, not both');
    const { readManifests } = await import('../manifest.js');
    return (await readManifests(files, p.bool('recursive'))).map(({ obj, source }) => {
      const kind = resolveKind(obj.kind);
      if (!kind) throw new CliError(`${source}: no matches for kind "${obj.kind}" (see lcctl get --help for the kinds Lantern serves)`);
      return { kind, name: obj.metadata.name, namespace: kind.namespaced ? obj.metadata.namespace ?? ns : undefined };
    });
  }
  const [first, ...rest] = p.args;
  if (first === undefined) throw new UsageError(`you must specify the type of resource to delete (${kindListText()}) and names, or -f FILENAME`);
  if (first.includes('/')) {
    return p.args.map((a) => {
      const slash = a.indexOf('/');
      const kind = slash < 0 ? undefined : resolveKind(a.slice(0, slash));
      if (!kind) throw new UsageError(slash < 0 ? `there is no need to mix KIND/NAME and KIND NAME: ${a}` : unknownKindMessage(a.slice(0, slash)));
      return { kind, name: a.slice(slash + 1), namespace: kind.namespaced ? ns : undefined };
    });
  }
  const kind = resolveKind(first);
  if (!kind) throw new UsageError(unknownKindMessage(first));
  const namespace = kind.namespaced ? ns : undefined;
  if (p.bool('all') || p.str('selector') !== undefined) {
    if (rest.length > 0) throw new UsageError('names cannot be given with --all or --selector');
    const list = await client.list<ApiObject>(kind.resource, namespace, { labelSelector: p.str('selector') });
    return list.items.map((o) => ({ kind, name: o.metadata.name, namespace }));
  }
  if (rest.length === 0) throw new UsageError(`resource(s) were provided, but no name was specified (use --all to delete every ${kind.qualifiedName})`);
  return rest.map((name) => ({ kind, name, namespace }));
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (isUsersArg(p.args[0])) return deleteUsers(p);
  let grace = p.int('grace-period') ?? -1;
  if (p.bool('now')) grace = 1;
  if (p.bool('force') && grace < 0) grace = 0;
  const wait = p.has('wait') ? p.bool('wait') : true;
  const client = connect(p);
  const items = await targets(client, p);
  if (items.length === 0) { process.stderr.write('No resources found\n'); return 0; }
  let failed = false;
  const results = await Promise.allSettled(items.map(async (it) => {
    if (it.kind.resource === 'pods') {
      // deletePod treats NotFound as gone; check first so the user hears about a wrong name.
      await client.get(it.kind.resource, it.name, it.namespace);
      await deletePod(client, it.namespace ?? 'default', it.name, grace >= 0 ? grace : undefined, wait);
    } else {
      await client.delete(it.kind.resource, it.name, it.namespace);
    }
  }));
  results.forEach((r, i) => {
    const it = items[i]!;
    if (r.status === 'fulfilled') process.stdout.write(`${it.kind.qualifiedName} "${it.name}" deleted\n`);
    else if (!(p.bool('ignore-not-found') && isCode(r.reason, 'NotFound'))) { failed = true; process.stderr.write(`${kubeErrorLine(r.reason)}\n`); }
  });
  return failed ? 1 : 0;
}
