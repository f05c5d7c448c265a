import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TokenAuthenticator } from '../server/http/auth.js';
import type { RotatedAdminToken } from '../server/http/credentials-api.js';
import { clientConfig, userConfigPath, writeFileAtomic } from './credentials.js';
import { kubeconfigYaml } from '../api/kubeconfig.js';

/**
 * The admin token and the files that carry it (DATA_DIR/admin-token, DATA_DIR/admin.yaml, its kubeconfig
 * twin DATA_DIR/kubeconfig.yaml and, when
 * the server wrote it at start, ~/.lantern/config.yaml). rotate() makes a new one: the files are
 * written first (a full disk fails the rotation, not the server), then the old token stops working.
 */
export class AdminToken {
  private url = '';
  private ca: string | undefined;
  private last: Promise<unknown> = Promise.resolve();
  private readonly changed: ((token: string, how: 'rotated' | 'adopted') => Promise<void>)[] = [];

  constructor(private current: string, private readonly o: { dataDir: string; auth: TokenAuthenticator; writeUserConfig: boolean }) {
    o.auth.add(current, { name: 'admin', role: 'admin' });
  }

  get token(): string { return this.current; }

  /** The address and CA admin.yaml names, once the server listens. */
  serving(url: string, ca: string | undefined): void { this.url = url; this.ca = ca; }

  /** The client config for the current token. */
  config(): string { return clientConfig(this.url, this.current, this.ca); }

  /** The same as a kubeconfig, for kubectl and the Kubernetes client libraries (DATA_DIR/kubeconfig.yaml). */
  kubeconfig(): string { return kubeconfigYaml({ server: this.url, token: this.current, ...(this.ca === undefined ? {} : { caPem: this.ca }) }); }

  /** Replace the admin token; rotations run one at a time. */
  rotate(): Promise<RotatedAdminToken> {
    const next = this.last.then(() => this.rotateNow(), () => this.rotateNow());
    this.last = next;
    return next;
  }

  /** Called after each change: a rotation here, or a token adopted from another server (HA: admin-token-sync.ts). */
  onChange(fn: (token: string, how: 'rotated' | 'adopted') => Promise<void>): void { this.changed.push(fn); }

  /** Take a token another server rotated to: the same files are rewritten and the old token refused. */
  adopt(token: string): Promise<void> {
    const next = this.last.then(() => this.adoptNow(token), () => this.adoptNow(token));
    this.last = next;
    return next;
  }

  private async adoptNow(token: string): Promise<void> {
    if (token === this.current) return;
    await this.replace(token);
    for (const fn of this.changed) await fn(token, 'adopted');
  }

  private async rotateNow(): Promise<RotatedAdminToken> {
    const rotated = await this.replace(`lt-admin-${randomBytes(24).toString('hex')}`);
    for (const fn of this.changed) await fn(rotated.token, 'rotated');
    return rotated;
  }

  private async replace(token: string): Promise<RotatedAdminToken> {
    const config = clientConfig(this.url, token, this.ca);
    await writeFileAtomic(path.join(this.o.dataDir, 'admin-token'), token + '\n', 0o600);
    await writeFileAtomic(path.join(this.o.dataDir, 'admin.yaml'), config, 0o600);
    await writeFileAtomic(path.join(this.o.dataDir, 'kubeconfig.yaml'), kubeconfigYaml({ server: this.url, token, ...(this.ca === undefined ? {} : { caPem: this.ca }) }), 0o600);
    if (this.o.writeUserConfig) await writeFileAtomic(userConfigPath(), config, 0o600);
    this.o.auth.add(token, { name: 'admin', role: 'admin' });
    this.o.auth.remove(this.current);
    this.current = token;
    return { token, config };
  }
}
