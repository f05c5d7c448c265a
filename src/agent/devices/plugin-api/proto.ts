/**
 * The device plugin API v1beta1 (kubelet's api.proto, kept under proto/deviceplugin/v1beta1) loaded
 * at run time with @grpc/proto-loader, and the message shapes as TypeScript sees them (camelCase,
 * as proto-loader gives them without keepCase).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The API version this agent speaks (kubelet's pluginapi.Version). */
export const apiVersion = 'v1beta1';
/** A device's health as ListAndWatch reports it. */
export const healthy = 'Healthy';

const relProto = path.join('proto', 'deviceplugin', 'v1beta1', 'api.proto');

/** The proto file, found above this module: the same code runs from src/ (tests) and dist/src/. */
export function protoPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, relProto);
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`device plugin API: ${relProto} not found above ${fileURLToPath(import.meta.url)}; reinstall Lantern with its proto/ folder`);
    dir = up;
  }
}

/** The two services' constructors (client side) and definitions (server side). */
export interface DevicePluginApi {
  Registration: grpc.ServiceClientConstructor;
  DevicePlugin: grpc.ServiceClientConstructor;
}

let loaded: DevicePluginApi | undefined;

/** Load the proto once per process. */
export function deviceApi(): DevicePluginApi {
  if (loaded) return loaded;
  const def = protoLoader.loadSync(protoPath(), { longs: Number, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def).v1beta1 as grpc.GrpcObject;
  loaded = { Registration: pkg.Registration as grpc.ServiceClientConstructor, DevicePlugin: pkg.DevicePlugin as grpc.ServiceClientConstructor };
  return loaded;
}

/** RegisterRequest. */
export interface RegisterRequest {
  version: string;
  endpoint: string;
  resourceName: string;
  options?: DevicePluginOptions | null;
}

/** DevicePluginOptions. */
export interface DevicePluginOptions {
  preStartRequired: boolean;
  getPreferredAllocationAvailable: boolean;
}

/** One device of ListAndWatchResponse. */
export interface PluginDevice {
  ID: string;
  health: string;
  topology?: { nodes: { ID: number }[] } | null;
}

/** ListAndWatchResponse. */
export interface ListAndWatchResponse {
  devices: PluginDevice[];
}

/** ContainerPreferredAllocationRequest. */
export interface ContainerPreferredAllocationRequest {
  availableDeviceIDs: string[];
  mustIncludeDeviceIDs: string[];
  allocationSize: number;
}

/** PreferredAllocationResponse. */
export interface PreferredAllocationResponse {
  containerResponses: { deviceIDs: string[] }[];
}

/** Mount of ContainerAllocateResponse. */
export interface PluginMount {
  containerPath: string;
  hostPath: string;
  readOnly: boolean;
}

/** DeviceSpec of ContainerAllocateResponse. */
export interface PluginDeviceSpec {
  containerPath: string;
  hostPath: string;
  permissions: string;
}

/** ContainerAllocateResponse. */
export interface ContainerAllocateResponse {
  envs: Record<string, string>;
  mounts: PluginMount[];
  devices: PluginDeviceSpec[];
  annotations: Record<string, string>;
  cdiDevices: { name: string }[];
}

/** AllocateResponse. */
export interface AllocateResponse {
  containerResponses: ContainerAllocateResponse[];
}
