/**
 * A kind module: what every part of Lantern knows about one kind (names, scope, group/version,
 * subresources, selectable fields, table columns, describe view). The API server, the client's
 * paths, lcctl, the discovery and the OpenAPI documents are all made from the list of them
 * (index.ts). A module loads no schema: its schema, defaults and validation are its rules
 * (kind.ts: KindRules, in kinds/<kind>.ts), which only the API server loads; its table and describe
 * view are imported on first use, so a client that only builds paths pays for neither.
 */
import type { ApiObject } from '../meta.js';
import type { TableDefinition } from '../printers/table.js';
import type { Describer } from '../printers/describe.js';

/** The scale subresource (autoscaling/v1 Scale), declared as a CustomResourceDefinition declares it. */
export interface ScaleSubresource {
  /** Where the desired replicas are, e.g. ".spec.replicas". */
  specReplicasPath: string;
  /** Where the observed replicas are, e.g. ".status.replicas". */
  statusReplicasPath: string;
  /** Where the selector of the counted pods is: a LabelSelector object or its text form. */
  labelSelectorPath: string;
}

/** Another subresource of an object (pods/log, pods/exec ...): listed in discovery, served by its own route. */
export interface OtherSubresource {
  name: string; kind: string; verbs: readonly string[];
  /** The group and version of the subresource's kind when it is not the parent's (pods/eviction is policy/v1's Eviction). */
  group?: string; version?: string;
}

/** The subresources of a kind's objects. */
export interface Subresources {
  /** Spec and status are written separately (PUT .../status writes only the status). */
  status: boolean;
  scale?: ScaleSubresource;
  other?: readonly OtherSubresource[];
}

/** What a module declares; defineKind adds the derived names. */
export interface KindModuleSpec<T extends ApiObject = ApiObject> {
  /** "Deployment". */
  readonly kind: string;
  /** The URL plural, "deployments". */
  readonly resource: string;
  /** "deployment". */
  readonly singular: string;
  /** kubectl's short names, "deploy" (discovery's shortNames). */
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  /** The API group: "" for the core group, "apps", "lantern.dev". */
  readonly group: string;
  readonly version: string;
  readonly subresources: Subresources;
  /** Field values usable in ?fieldSelector= (every kind has metadata.name). */
  selectableFields(obj: T): Record<string, string>;
  /** Its `get` table, loaded on first use; without one, kubectl's default NAME and AGE. */
  table?(): Promise<TableDefinition<T>>;
  /** Its `describe` view, loaded on first use; without one, lcctl describe points to get -o yaml. */
  describe?(): Promise<Describer<T>>;
}

/** A kind module with its derived names. */
export interface KindModule<T extends ApiObject = ApiObject> extends KindModuleSpec<T> {
  /** "apps/v1", "v1". */
  readonly apiVersion: string;
  /** The lower-case kind with its group, as kubectl prints objects: "deployment.apps", "pod". */
  readonly qualifiedName: string;
}

/** A module from its declaration: fills in apiVersion and qualifiedName. */
export function defineKind<T extends ApiObject>(spec: KindModuleSpec<T>): KindModule<T> {
  const apiVersion = spec.group === '' ? spec.version : `${spec.group}/${spec.version}`;
  const qualifiedName = spec.group === '' ? spec.singular : `${spec.singular}.${spec.group}`;
  return { ...spec, apiVersion, qualifiedName };
}

/** Where the objects of API version GV ("v1", "apps/v1") are served: /api/v1, /apis/apps/v1. */
export function groupVersionPath(gv: string): string {
  return gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
}
