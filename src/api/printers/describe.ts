/**
 * A kind's `describe` view: the sections kubectl's describer writes, as pure functions of the object
 * and of the related lists it declares (a pod's events, a node's pods), which lcctl fetches.
 */
import type { ApiObject } from '../meta.js';
import { Doc } from './doc.js';

/** A list lcctl fetches for a describe view: list(resource, namespace, selectors). */
export interface RelatedQuery {
  readonly resource: string;
  /** Undefined: across all namespaces (or a cluster-scoped kind). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** A failed fetch reads as an empty list instead of failing the describe. */
  readonly optional?: boolean;
}

/** What a section reads besides its object: the related lists by the names the describer gave, and the time. */
export interface DescribeContext {
  readonly related: Readonly<Record<string, readonly ApiObject[]>>;
  readonly now: number;
}

/** Written as a method so that a kind's Describer<Pod> is a Describer<ApiObject> in the kind list (methods are checked bivariantly). */
interface SectionWriter<T> { write(doc: Doc, obj: T, ctx: DescribeContext): void }

/** One section of a describe document (e.g. Containers, Events): writes its lines about obj into doc. */
export type DescribeSection<T> = SectionWriter<T>['write'];

/** A kind's describe view: what to fetch about one object, and its sections in order. */
export interface Describer<T extends ApiObject = ApiObject> {
  related?(obj: T): Readonly<Record<string, RelatedQuery>>;
  readonly sections: readonly DescribeSection<T>[];
}

/** The describe text of one object. */
export function describeText<T extends ApiObject>(d: Describer<T>, obj: T, ctx: DescribeContext): string {
  const doc = new Doc();
  for (const section of d.sections) section(doc, obj, ctx);
  return doc.render();
}

/** The related list a describer declared under `name` (empty when it was not fetched). */
export function relatedList<R extends ApiObject>(ctx: DescribeContext, name: string): R[] {
  return (ctx.related[name] ?? []) as R[];
}
