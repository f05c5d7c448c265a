/**
 * The ServiceAccount token hook (the kubelet's projected service account volume): a pod that does
 * not set automountServiceAccountToken: false gets /var/run/secrets/kubernetes.io/serviceaccount/
 * {token, ca.crt, namespace}, a read-only bind of a directory in the pod's dir. The token comes from
 * TokenRequest bound to the pod (the node may ask only for its own pods' tokens), lives an hour, and
 * is replaced once 80% of its life has passed (written beside and renamed in, so a reader never sees
 * half of one; the directory is the bind, so the new file shows in the container).
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClient } from '../../../client/types.js';
import { isUnreachable } from '../../offline/unreachable.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';

/** Where the token appears in containers (Kubernetes' path; client libraries look there). */
export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

const LIFETIME_SECONDS = 3600;

/** An API client that can POST a subresource (the HttpClient a remote agent holds). */
interface JsonCaller { json<T>(method: string, path: string, body?: unknown): Promise<T>; config?: { ca?: string } }
const jsonCaller = (api: ApiClient): JsonCaller | undefined => (typeof (api as Partial<JsonCaller>).json === 'function' ? api as unknown as JsonCaller : undefined);

interface TokenAnswer { status: { token: string; expirationTimestamp: string } }

/** Mounts and refreshes a pod's ServiceAccount token. */
export class ServiceAccountTokenHook implements PodHook {
  readonly name = 'service-account-token';
  /** When the current token should be replaced (ms since the epoch); undefined before the first. */
  private refreshAt: number | undefined;

  constructor(private readonly api: ApiClient, private readonly podDir: (uid: string) => string, private readonly now: () => number = Date.now) {}

  private dir(run: PodRun): string { return path.join(this.podDir(run.uid), 'serviceaccount'); }

  private wanted(run: PodRun): boolean { return run.pod.spec.automountServiceAccountToken !== false; }

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    if (!this.wanted(run)) return undefined;
    const caller = jsonCaller(this.api);
    if (caller === undefined) {
      // An API without a `json` caller mounts nothing (the server's own node gets one: identity/in-process-tokens.ts).
      return undefined;
    }
    if (plan.container.volumeMounts?.some((m) => m.mountPath === serviceAccountMountPath)) return undefined; // the user's own volume wins
    if (this.refreshAt === undefined) {
      try { await this.write(run, caller); } catch (e) {
        // Edge autonomy: cut off from every server after a reboot, the pod keeps the token it was last given (refreshed once a server answers).
        if (isUnreachable(e) && existsSync(path.join(this.dir(run), 'token'))) {
          run.log(`the server cannot be reached for a new token of ServiceAccount "${run.pod.spec.serviceAccountName ?? 'default'}": the pod keeps its last one`);
          this.refreshAt = this.now() + 10_000;
          run.later(10_000);
        } else {
          return { retryInMs: 2000, waiting: { reason: 'CreateContainerConfigError', message: `cannot get the token of ServiceAccount "${run.pod.spec.serviceAccountName ?? 'default'}": ${(e as Error).message}` } };
        }
      }
    }
    plan.extraMounts.push({ destination: serviceAccountMountPath, source: this.dir(run), type: 'bind', readOnly: true, options: ['rbind', 'ro'] });
    return undefined;
  }

  async update(run: PodRun): Promise<void> {
    const caller = jsonCaller(this.api);
    if (caller === undefined || this.refreshAt === undefined || !this.wanted(run)) return;
    if (this.now() < this.refreshAt) { run.later(this.refreshAt - this.now()); return; }
    await this.write(run, caller).catch((e: unknown) => { run.log(`service account token refresh failed (retry in 10s): ${(e as Error).message}`); run.later(10_000); });
  }

  private async write(run: PodRun, caller: JsonCaller): Promise<void> {
    const pod = run.pod;
    const ns = pod.metadata.namespace ?? 'default';
    const sa = pod.spec.serviceAccountName ?? 'default';
    const answer = await caller.json<TokenAnswer>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${encodeURIComponent(sa)}/token`, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
      spec: { expirationSeconds: LIFETIME_SECONDS, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata.name, uid: pod.metadata.uid } },
    });
    const dir = this.dir(run);
    await mkdir(dir, { recursive: true, mode: 0o755 });
    const put = async (name: string, text: string): Promise<void> => {
      await writeFile(path.join(dir, `.${name}.tmp`), text, { mode: 0o644 });
      await rename(path.join(dir, `.${name}.tmp`), path.join(dir, name));
    };
    await put('token', answer.status.token);
    await put('namespace', ns);
    await put('ca.crt', caller.config?.ca ?? '');
    const expires = Date.parse(answer.status.expirationTimestamp);
    const start = this.now();
    this.refreshAt = start + Math.max(60_000, (expires - start) * 0.8);
    run.later(this.refreshAt - start);
  }
}
