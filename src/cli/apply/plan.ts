/** One object of an apply: where it goes, what is live, and what apply would send. */
import type { ApiObject } from '../../api/meta.js';
import type { HttpClient } from '../../client/http-client.js';
import { CliError, isCode } from '../errors.js';
import type { KindModule } from '../../api/kinds/module.js';
import { resolveKind } from '../../api/kinds/names.js';
import type { ManifestObject } from '../manifest.js';
import { canonical } from './canonical.js';
import { applyPatch, withLastApplied } from './merge.js';

/** What apply reports for one object. */
export type Outcome = 'created' | 'configured' | 'unchanged';

/** The dry-run modes of kubectl: none, server (validated, not stored), client (nothing sent). */
export type DryRun = 'none' | 'server' | 'client';

/** An object ready to apply. live is absent when it does not exist yet. */
export interface Plan { kind: KindModule; label: string; namespace?: string; live?: ApiObject; target: ApiObject }

/** kind/name as kubectl prints it (configmap/x, deployment.apps/x). */
export function labelOf(m: ManifestObject): string {
  const kind = resolveKind(m.obj.kind);
  return `${kind?.qualifiedName ?? m.obj.kind.toLowerCase()}/${m.obj.metadata.name}`;
}

/** Read the live object and compute the body apply would send. */
export async function plan(client: HttpClient, m: ManifestObject, ns: string): Promise<Plan> {
  const kind = resolveKind(m.obj.kind);
  if (!kind) throw new CliError(`${m.source}: no matches for kind "${m.obj.kind}" (see lcctl get --help for the kinds Lantern serves)`);
  const obj = structuredClone(m.obj);
  if (kind.namespaced) obj.metadata.namespace ??= ns;
  else delete obj.metadata.namespace;
  const namespace = kind.namespaced ? obj.metadata.namespace : undefined;
  let live: ApiObject | undefined;
  try { live = await client.get<ApiObject>(kind.resource, obj.metadata.name, namespace); } catch (e) { if (!isCode(e, 'NotFound')) throw e; }
  const target = live ? applyPatch(obj, live) : withLastApplied(obj);
  return { kind, label: labelOf(m), namespace, live, target };
}

/** An object's content for "unchanged": without the revision, generation and status, which apply does not own. */
export function comparable(o: ApiObject): string {
  const { status: _s, ...rest } = o as ApiObject & { status?: unknown };
  const { resourceVersion: _rv, generation: _g, ...meta } = o.metadata;
  return canonical({ ...rest, metadata: meta });
}

/** Apply one object; resolves with what happened (or would happen, for a dry run). */
export async function applyOne(client: HttpClient, m: ManifestObject, ns: string, dry: DryRun): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    const p = await plan(client, m, ns);
    try {
      if (!p.live) {
        if (dry !== 'client') await client.create(p.kind.resource, p.target, { dryRun: dry === 'server' });
        return 'created';
      }
      if (dry === 'client') return comparable(p.target) === comparable(p.live) ? 'unchanged' : 'configured';
      // The server applies defaults and rules; compare its answer so a no-op is "unchanged".
      const preview = await client.update<ApiObject>(p.kind.resource, p.target, { dryRun: true });
      if (comparable(preview) === comparable(p.live)) return 'unchanged';
      if (dry === 'none') await client.update(p.kind.resource, p.target);
      return 'configured';
    } catch (e) {
      // Someone else wrote in between (or created it): read again, as kubectl retries on conflict.
      if (attempt < 3 && (isCode(e, 'Conflict') || isCode(e, 'AlreadyExists'))) continue;
      throw e;
    }
  }
}
