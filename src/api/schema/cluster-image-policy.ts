import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

/**
 * Which images need which signing keys (policy.lantern.dev/v1alpha1, cluster-scoped), shaped like
 * sigstore policy-controller's ClusterImagePolicy: images by glob, authorities by public key (PEM) or keyless identity,
 * mode enforce (refuse) or warn (log and record an event, run anyway). Enforced on the node before
 * a container starts (agent/pods/hooks/image-policy.ts).
 */
export const ClusterImagePolicySchema = Type.Object({
  apiVersion: Type.Literal('policy.lantern.dev/v1alpha1'),
  kind: Type.Literal('ClusterImagePolicy'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    images: Type.Array(Type.Object({ glob: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 64 }),
    authorities: Type.Array(Type.Object({
      name: Type.Optional(Type.String({ maxLength: 253 })),
      key: Type.Optional(Type.Object({ data: Type.String({ minLength: 1, maxLength: 16384 }) }, { additionalProperties: false })),
      // Keyless (policy-controller's shape, trust root inline): a Sigstore bundle whose Fulcio certificate names one identity.
      keyless: Type.Optional(Type.Object({
        identities: Type.Array(Type.Object({
          issuer: Type.String({ minLength: 1, maxLength: 1024 }),
          subject: Type.String({ minLength: 1, maxLength: 1024 }),
        }, { additionalProperties: false }), { minItems: 1, maxItems: 32 }),
        trustedRoot: Type.Object({ data: Type.String({ minLength: 1, maxLength: 1 << 20 }) }, { additionalProperties: false }),
      }, { additionalProperties: false })),
    }, { additionalProperties: false }), { minItems: 1, maxItems: 32 }),
    mode: Type.Optional(Type.Union([Type.Literal('enforce'), Type.Literal('warn')])),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

/** A ClusterImagePolicy object. */
export type ClusterImagePolicy = Static<typeof ClusterImagePolicySchema>;
