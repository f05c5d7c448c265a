/** The config cache's side of edge autonomy: ConfigMaps and Secrets kept as read, and read back offline. */
import type { ApiObject } from '../../api/meta.js';
import type { ConfigResource, NodeRecord } from './record.js';

const isConfig = (r: string): r is ConfigResource => r === 'configmaps' || r === 'secrets';

/** Keep (or, when it no longer exists, forget) what a container start just read from the watched cache. */
export function keepInRecord(record: NodeRecord | undefined, resource: string, namespace: string, name: string, obj: ApiObject | undefined): void {
  if (!record || !isConfig(resource)) return;
  void (obj ? record.saveObject(resource, obj) : record.forgetObject(resource, namespace, name));
}

/** The recorded copy when the API cannot be reached; otherwise (none kept) the error made by fail. */
export async function fromRecordOr<T extends ApiObject>(record: NodeRecord | undefined, resource: string, namespace: string, name: string, fail: () => Error): Promise<T> {
  const kept = record && isConfig(resource) ? await record.object<T>(resource, namespace, name) : undefined;
  if (kept) return kept;
  throw fail();
}
