/**
 * Kubernetes' protobuf request bodies (Content-Type application/vnd.kubernetes.protobuf), as client-go's
 * typed clients send them: the 4 bytes "k8s\0", then a runtime.Unknown whose typeMeta names the kind and
 * whose raw holds the object's own message. Decoded into the JSON object the handlers already take.
 */
import { ApiError } from '../../../api/errors.js';
import { kubeProtos, protoPackages } from './load.js';
import { message } from './to-json.js';

/** The content type client-go sends protobuf bodies with. */
export const protobufContentType = 'application/vnd.kubernetes.protobuf';

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Whether a Content-Type header names Kubernetes' protobuf encoding. */
export function isProtobuf(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0]!.trim().toLowerCase() === protobufContentType;
}

/** A protobuf body -> the object in its JSON form, with apiVersion and kind from the envelope. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) {
    throw new ApiError('BadRequest', 'protobuf request body does not start with the "k8s\\0" prefix of Kubernetes\' protobuf encoding');
  }
  const root = kubeProtos();
  const unknownType = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  let envelope: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  try {
    envelope = unknownType.decode(body.subarray(magic.length)) as typeof envelope;
  } catch (e) {
    throw new ApiError('BadRequest', `protobuf request body is not a runtime.Unknown: ${(e as Error).message}`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  const pkg = protoPackages[apiVersion];
  const type = pkg === undefined || kind === '' ? null : root.lookup(`${pkg}.${kind}`);
  if (type === null || !('fieldsArray' in type)) {
    throw new ApiError('UnsupportedMediaType', `protobuf bodies are accepted only for Kubernetes' built-in kinds of ${Object.keys(protoPackages).join(', ')}; send ${kind || 'this object'} (${apiVersion || 'no apiVersion'}) as application/json`);
  }
  let decoded: Record<string, unknown>;
  try {
    decoded = (type as import('protobufjs').Type).decode(envelope.raw ?? new Uint8Array()) as unknown as Record<string, unknown>;
  } catch (e) {
    throw new ApiError('BadRequest', `protobuf request body: ${kind} does not decode: ${(e as Error).message}`);
  }
  const obj = (message(type as import('protobufjs').Type, decoded, 'object') ?? {}) as Record<string, unknown>;
  return { apiVersion, kind, ...obj };
}
