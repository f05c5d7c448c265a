import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { LabelSelectorSchema } from './pod.js';

const Strings = Type.Array(Type.String());

/** One grant (rbac.authorization.k8s.io/v1 PolicyRule): verbs on resources of API groups, or on non-resource URLs. */
export const PolicyRuleSchema = Type.Object({
  verbs: Strings,
  apiGroups: Type.Optional(Strings),
  resources: Type.Optional(Strings),
  resourceNames: Type.Optional(Strings),
  nonResourceURLs: Type.Optional(Strings),
}, { additionalProperties: false });

/** ClusterRoles whose rules this one gathers (selected by label; the controller fills rules in). */
export const AggregationRuleSchema = Type.Object({
  clusterRoleSelectors: Type.Optional(Type.Array(LabelSelectorSchema)),
}, { additionalProperties: false });

/** A namespaced set of grants. */
export const RoleSchema = Type.Object({
  apiVersion: Type.Literal('rbac.authorization.k8s.io/v1'),
  kind: Type.Literal('Role'),
  metadata: ObjectMetaSchema,
  rules: Type.Optional(Type.Array(PolicyRuleSchema)),
}, { additionalProperties: false });

/** A cluster-wide set of grants, bound everywhere (ClusterRoleBinding) or in one namespace (RoleBinding). */
export const ClusterRoleSchema = Type.Object({
  apiVersion: Type.Literal('rbac.authorization.k8s.io/v1'),
  kind: Type.Literal('ClusterRole'),
  metadata: ObjectMetaSchema,
  rules: Type.Optional(Type.Array(PolicyRuleSchema)),
  aggregationRule: Type.Optional(AggregationRuleSchema),
}, { additionalProperties: false });

/** Who a binding grants to: a User, a Group or a ServiceAccount (namespace required for a ServiceAccount). */
export const SubjectSchema = Type.Object({
  kind: Type.String({ description: 'User, Group or ServiceAccount' }),
  apiGroup: Type.Optional(Type.String()),
  name: Type.String(),
  namespace: Type.Optional(Type.String()),
}, { additionalProperties: false });

/** The role a binding grants (immutable once created). */
export const RoleRefSchema = Type.Object({
  apiGroup: Type.String(),
  kind: Type.String({ description: 'Role or ClusterRole' }),
  name: Type.String(),
}, { additionalProperties: false });

/** Grants a Role or ClusterRole to subjects within one namespace. */
export const RoleBindingSchema = Type.Object({
  apiVersion: Type.Literal('rbac.authorization.k8s.io/v1'),
  kind: Type.Literal('RoleBinding'),
  metadata: ObjectMetaSchema,
  subjects: Type.Optional(Type.Array(SubjectSchema)),
  roleRef: RoleRefSchema,
}, { additionalProperties: false });

/** Grants a ClusterRole to subjects in every namespace and on cluster-scoped resources. */
export const ClusterRoleBindingSchema = Type.Object({
  apiVersion: Type.Literal('rbac.authorization.k8s.io/v1'),
  kind: Type.Literal('ClusterRoleBinding'),
  metadata: ObjectMetaSchema,
  subjects: Type.Optional(Type.Array(SubjectSchema)),
  roleRef: RoleRefSchema,
}, { additionalProperties: false });

export type PolicyRule = Static<typeof PolicyRuleSchema>;
export type Subject = Static<typeof SubjectSchema>;
export type RoleRef = Static<typeof RoleRefSchema>;
export type Role = Static<typeof RoleSchema>;
export type ClusterRole = Static<typeof ClusterRoleSchema>;
export type RoleBinding = Static<typeof RoleBindingSchema>;
export type ClusterRoleBinding = Static<typeof ClusterRoleBindingSchema>;
