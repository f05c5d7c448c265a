import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../api/errors.js';
import type { SecurityProfileChoice } from '../types.js';
import { renderAppArmorProfile } from './apparmor-profile.js';

/** The name of the profile every container gets by default where the host has AppArmor. */
export const DEFAULT_APPARMOR_PROFILE = 'lantern-default';

/** Where the host's AppArmor facts are read (paths overridable for tests). */
export interface AppArmorPaths {
  /** "Y" when the kernel's AppArmor is on. */
  enabledFile: string;
  /** The profiles loaded in the kernel, one "name (mode)" a line. */
  profilesFile: string;
  /** apparmor_parser candidates; the first that exists is used. */
  parsers: string[];
  /** Where the abi/, tunables/ and abstractions/ the template may include live. */
  configDir: string;
  /** The label lanternd runs under. */
  selfLabelFile: string;
}

export const HOST_APPARMOR_PATHS: AppArmorPaths = {
  enabledFile: '/sys/module/apparmor/parameters/enabled',
  profilesFile: '/sys/kernel/security/apparmor/profiles',
  parsers: ['/sbin/apparmor_parser', '/usr/sbin/apparmor_parser'],
  configDir: '/etc/apparmor.d',
  selfLabelFile: '/proc/self/attr/current',
};

/** What the host offers: usable, or why not (said once in the node's log). */
export type AppArmorHost = { enabled: true; parser: string } | { enabled: false; why: string };

/** Docker's test: the kernel says Y and apparmor_parser (Debian's `apparmor` package) is installed. */
export function probeAppArmor(paths: AppArmorPaths = HOST_APPARMOR_PATHS): AppArmorHost {
  let flag: string;
  try {
    flag = readFileSync(paths.enabledFile, 'utf8').trim();
  } catch {
    return { enabled: false, why: `the kernel has no AppArmor (${paths.enabledFile} does not exist)` };
  }
  if (!flag.startsWith('Y')) return { enabled: false, why: `AppArmor is disabled in the kernel (${paths.enabledFile} is ${JSON.stringify(flag)})` };
  const parser = paths.parsers.find((p) => existsSync(p));
  if (!parser) return { enabled: false, why: 'the kernel has AppArmor but apparmor_parser is not installed (apt-get install apparmor)' };
  return { enabled: true, parser };
}

/** The names of the profiles loaded in the kernel. */
export function loadedAppArmorProfiles(profilesFile: string): Set<string> {
  let text = '';
  try { text = readFileSync(profilesFile, 'utf8'); } catch { /* none readable: none loaded */ }
  // "name (enforce)": names may contain spaces, so cut at the last " (".
  return new Set(text.split('\n').filter(Boolean).map((l) => { const i = l.lastIndexOf(' ('); return i < 0 ? l : l.slice(0, i); }));
}

/** Runs `apparmor_parser -Kr` with the profile on stdin (-K: no cache writes; -r: replace if loaded). */
export async function loadAppArmorProfile(parser: string, text: string): Promise<void> {
  const err = await new Promise<string | undefined>((resolve) => {
    const p = spawn(parser, ['-Kr'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (b: Buffer) => { out += b.toString('utf8'); });
    p.stderr.on('data', (b: Buffer) => { out += b.toString('utf8'); });
    p.on('error', (e) => resolve(e.message));
    p.on('close', (code) => resolve(code === 0 ? undefined : out.trim() || `exit status ${code}`));
    p.stdin.on('error', () => undefined);
    p.stdin.end(text);
  });
  if (err !== undefined) throw new Error(`${parser} -Kr failed: ${err}`);
}

/**
 * Which AppArmor profile each container runs under. The default profile is loaded once per node (the
 * first container that needs it); a host without AppArmor is reported once through `log`.
 */
export class AppArmorSupport {
  private host?: AppArmorHost;
  private loading?: Promise<void>;

  constructor(private readonly log: (msg: string) => void, private readonly paths: AppArmorPaths = HOST_APPARMOR_PATHS) {}

  /** The host's state, probed (and, when AppArmor is missing, logged) the first time only. */
  hostState(): AppArmorHost {
    if (!this.host) {
      this.host = probeAppArmor(this.paths);
      if (!this.host.enabled) this.log(`AppArmor: ${this.host.why}; containers run without an AppArmor profile`);
    }
    return this.host;
  }

  /** process.apparmorProfile for a container, or undefined for none. */
  async profileFor(choice: SecurityProfileChoice | undefined, privileged: boolean): Promise<string | undefined> {
    const host = this.hostState();
    const type = choice?.type ?? 'RuntimeDefault';
    if (type === 'Localhost') {
      const name = choice?.localhostProfile ?? '';
      if (!host.enabled) {
        throw new ApiError('Invalid', `AppArmor profile "${name}" was asked for, but this node cannot apply it: ${host.why}. Use appArmorProfile RuntimeDefault or Unconfined, or run the pod on a node with AppArmor`);
      }
      if (!loadedAppArmorProfiles(this.paths.profilesFile).has(name)) {
        throw new ApiError('Invalid', `AppArmor profile "${name}" is not loaded on this node: load it with apparmor_parser -r FILE, or use RuntimeDefault`);
      }
      return name;
    }
    if (!host.enabled) return undefined;
    // As Docker: privileged containers, and those that ask for it, run unconfined.
    if (type === 'Unconfined' || privileged) return 'unconfined';
    await this.ensureDefault(host.parser);
    return DEFAULT_APPARMOR_PROFILE;
  }

  private async ensureDefault(parser: string): Promise<void> {
    this.loading ??= loadAppArmorProfile(parser, this.defaultProfileText()).catch((e: unknown) => {
      this.loading = undefined;
      throw new ApiError('Internal', `AppArmor is enabled on this node but the ${DEFAULT_APPARMOR_PROFILE} profile could not be loaded: ${(e as Error).message}`);
    });
    await this.loading;
  }

  /** The default profile as loaded on this host. */
  defaultProfileText(): string {
    let daemonProfile = '';
    try {
      const label = readFileSync(this.paths.selfLabelFile, 'utf8').trim();
      const cut = label.lastIndexOf(' (');
      daemonProfile = cut < 0 ? label : label.slice(0, cut);
    } catch { /* unconfined */ }
    const has = (rel: string): boolean => existsSync(join(this.paths.configDir, rel));
    return renderAppArmorProfile({
      name: DEFAULT_APPARMOR_PROFILE, daemonProfile, abi3: has('abi/3.0'), tunables: has('tunables/global'), base: has('abstractions/base'),
    });
  }
}
