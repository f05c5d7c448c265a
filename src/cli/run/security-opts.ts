/** `--security-opt` of `lcctl run`, read as Docker reads it (the CLI opens a seccomp profile file itself). */
import type { SecurityProfile } from '../../api/schema/pod.js';
import { parseSeccompProfile } from '../../api/seccomp-profile.js';
import { UsageError } from '../errors.js';

/** What the options ask for; absent fields leave the defaults. */
export interface SecurityOpts {
  seccomp?: SecurityProfile;
  /** The compacted JSON of a seccomp=FILE profile, sent in the pod (annotation seccomp.lantern.dev/<container>). */
  seccompContent?: string;
  appArmor?: SecurityProfile;
  noNewPrivileges?: boolean;
}

const HINT = 'use seccomp=unconfined|builtin|PROFILE.json, apparmor=unconfined|PROFILE, or no-new-privileges[=true|false]';
// Go's strconv.ParseBool, which Docker uses for no-new-privileges=VALUE.
const BOOLS: Record<string, boolean> = { 1: true, t: true, T: true, TRUE: true, true: true, True: true, 0: false, f: false, F: false, FALSE: false, false: false, False: false };

/** Parses every --security-opt (later ones win); readFile reads a seccomp profile named by path. */
export function dockerSecurityOpts(opts: string[], readFile: (path: string) => string): SecurityOpts {
  const out: SecurityOpts = {};
  for (const opt of opts) {
    if (opt === 'no-new-privileges') { out.noNewPrivileges = true; continue; }
    // KEY=VALUE; Docker still takes the old KEY:VALUE form.
    let cut = opt.indexOf('=');
    if (cut < 0) cut = opt.indexOf(':');
    const key = cut < 0 ? opt : opt.slice(0, cut);
    const value = cut < 0 ? '' : opt.slice(cut + 1);
    if (cut < 0 || value === '') throw new UsageError(`Invalid --security-opt: ${JSON.stringify(opt)}: ${HINT}`);
    switch (key) {
      case 'seccomp':
        delete out.seccompContent;
        if (value === 'unconfined') out.seccomp = { type: 'Unconfined' };
        else if (value === 'builtin') out.seccomp = { type: 'RuntimeDefault' };
        else {
          out.seccompContent = seccompFile(value, readFile);
          out.seccomp = { type: 'Localhost', localhostProfile: value.split('/').pop() || value };
        }
        break;
      case 'apparmor':
        if (value === 'unconfined') out.appArmor = { type: 'Unconfined' };
        else if (value === 'lantern-default' || value === 'docker-default') out.appArmor = { type: 'RuntimeDefault' };
        else out.appArmor = { type: 'Localhost', localhostProfile: value };
        break;
      case 'no-new-privileges': {
        const b = BOOLS[value];
        if (b === undefined) throw new UsageError(`invalid --security-opt 2: ${JSON.stringify(opt)}: no-new-privileges takes true or false`);
        out.noNewPrivileges = b;
        break;
      }
      case 'label':
        throw new UsageError(`--security-opt ${opt}: Lantern nodes have no SELinux support, so labels cannot be applied`);
      default:
        throw new UsageError(`invalid --security-opt 2: ${JSON.stringify(opt)}: ${HINT}`);
    }
  }
  return out;
}

/** Reads, compacts and checks a profile file, with Docker's messages for the first two. */
function seccompFile(path: string, readFile: (path: string) => string): string {
  let text: string;
  try {
    text = readFile(path);
  } catch (e) {
    throw new UsageError(`opening seccomp profile (${path}) failed: ${(e as Error).message}`);
  }
  let compact: string;
  try {
    compact = JSON.stringify(JSON.parse(text));
  } catch (e) {
    throw new UsageError(`compacting json for seccomp profile (${path}) failed: ${(e as Error).message}`);
  }
  try {
    parseSeccompProfile(compact, `seccomp profile ${path}`);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return compact;
}
