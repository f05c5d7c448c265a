export { NodeIpamController, type NodeIpamOptions } from './controller.js';
export { CidrAllocator, parseIpv4Cidr } from './allocator.js';
