import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodePlatform, platformString } from '../image/platform.js';
import { checkBuildPlatform } from './builder.js';

test('--platform: the node\'s own platform builds; another is refused with the reason and what to do', () => {
  assert.doesNotThrow(() => checkBuildPlatform(platformString(nodePlatform())));
  const foreign = nodePlatform().architecture === 'arm64' ? 'linux/amd64' : 'linux/arm64';
  assert.throws(() => checkBuildPlatform(foreign), new RegExp(`cannot build for ${foreign} on this ${platformString(nodePlatform())} node: RUN steps run natively`));
  assert.throws(() => checkBuildPlatform('linux'), /invalid --platform "linux": expected os\/arch/);
});
