import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;
const Mode = Type.Integer({ minimum: 0, maximum: 0o777, description: 'a file mode between 0 and 0777 (511)' });

const KeyToPath = Type.Object({ key: Type.String({ minLength: 1 }), path: Type.String({ minLength: 1 }), mode: Type.Optional(Mode) }, strict);

/** env[].valueFrom: one key of a ConfigMap or Secret in the pod's namespace. */
export const EnvVarSourceSchema = Type.Object({
  configMapKeyRef: Type.Optional(Type.Object({ name: Type.String({ minLength: 1 }), key: Type.String({ minLength: 1 }), optional: Type.Optional(Type.Boolean()) }, strict)),
  secretKeyRef: Type.Optional(Type.Object({ name: Type.String({ minLength: 1 }), key: Type.String({ minLength: 1 }), optional: Type.Optional(Type.Boolean()) }, strict)),
}, strict);

/** envFrom[]: every key of a ConfigMap or Secret as a variable, with an optional prefix. */
export const EnvFromSourceSchema = Type.Object({
  prefix: Type.Optional(Type.String()),
  configMapRef: Type.Optional(Type.Object({ name: Type.String({ minLength: 1 }), optional: Type.Optional(Type.Boolean()) }, strict)),
  secretRef: Type.Optional(Type.Object({ name: Type.String({ minLength: 1 }), optional: Type.Optional(Type.Boolean()) }, strict)),
}, strict);

/** volumes[].configMap: the ConfigMap's keys as files. */
export const ConfigMapVolumeSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  items: Type.Optional(Type.Array(KeyToPath)),
  defaultMode: Type.Optional(Mode),
  optional: Type.Optional(Type.Boolean()),
}, strict);

/** volumes[].secret: the Secret's keys as files (decoded). */
export const SecretVolumeSchema = Type.Object({
  secretName: Type.String({ minLength: 1 }),
  items: Type.Optional(Type.Array(KeyToPath)),
  defaultMode: Type.Optional(Mode),
  optional: Type.Optional(Type.Boolean()),
}, strict);

export type EnvVarSource = Static<typeof EnvVarSourceSchema>;
export type EnvFromSource = Static<typeof EnvFromSourceSchema>;
export type ConfigMapVolume = Static<typeof ConfigMapVolumeSchema>;
export type SecretVolume = Static<typeof SecretVolumeSchema>;
