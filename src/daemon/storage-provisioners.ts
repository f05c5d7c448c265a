/** The provisioners the server runs: the built-in ones plus nfs, given the libnfs helper (built under DATA_DIR/bin) for its directory work. */
import path from 'node:path';
import { helperNfsExports } from '../agent/volumes/nfs-helper.js';
import { builtinProvisioners, type Provisioner } from '../controllers/persistent-volume/index.js';
import { NfsProvisioner } from '../controllers/persistent-volume/nfs-provisioner.js';

/** local-path and lantern.dev/nfs. */
export function serverProvisioners(dataDir: string): Provisioner[] {
  return [...builtinProvisioners(), new NfsProvisioner(helperNfsExports(path.join(dataDir, 'bin')))];
}
