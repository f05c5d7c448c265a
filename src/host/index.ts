/** Host facilities that the runtime, the image store and the builder share. */
export { runCommand, sleep, type RunResult } from './command.js';
export { isMountPoint, mountOverlay, unmountRootfs, unmountUnder } from './overlay.js';
export { mountedLowerDirs, mountPoints, parseLowerDirs, parseMountPoints, readMountinfo } from './mountinfo.js';
