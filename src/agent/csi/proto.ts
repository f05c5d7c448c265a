/**
 * Loads the CSI v1 and kubelet plugin-registration protos (proto/ at the package root) with
 * @grpc/proto-loader, once, and hands out their service constructors.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The package root: the first folder above this file holding proto/ (src/agent/csi or dist/src/agent/csi). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'proto', 'csi', 'csi.proto')) && existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('proto/csi/csi.proto not found above the lanternd installation');
    dir = up;
  }
}

// Enums as names, 64-bit integers as strings (capacities can pass 2^53), defaults filled.
const loadOptions: protoLoader.Options = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };

/** The gRPC service constructors Lantern uses. */
export interface CsiProtos {
  Identity: grpc.ServiceClientConstructor;
  Controller: grpc.ServiceClientConstructor;
  Node: grpc.ServiceClientConstructor;
  Registration: grpc.ServiceClientConstructor;
}

let loaded: CsiProtos | undefined;

function service(pkg: grpc.GrpcObject, dotted: string): grpc.ServiceClientConstructor {
  let cur: unknown = pkg;
  for (const part of dotted.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  if (typeof cur !== 'function') throw new Error(`proto service ${dotted} not found`);
  return cur as grpc.ServiceClientConstructor;
}

/** The CSI and registration services (loaded on first use). */
export function csiProtos(): CsiProtos {
  if (loaded) return loaded;
  const root = packageRoot();
  const csi = grpc.loadPackageDefinition(protoLoader.loadSync(path.join(root, 'proto', 'csi', 'csi.proto'), loadOptions));
  const reg = grpc.loadPackageDefinition(protoLoader.loadSync(path.join(root, 'proto', 'pluginregistration', 'v1', 'api.proto'), loadOptions));
  loaded = {
    Identity: service(csi, 'csi.v1.Identity'),
    Controller: service(csi, 'csi.v1.Controller'),
    Node: service(csi, 'csi.v1.Node'),
    Registration: service(reg, 'pluginregistration.Registration'),
  };
  return loaded;
}

/** A unix socket path as a gRPC target. */
export function unixTarget(socket: string): string {
  return socket.startsWith('unix:') ? socket : `unix://${path.resolve(socket)}`;
}
