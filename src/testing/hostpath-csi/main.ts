/**
 * Runs the host-path test CSI driver as its own process (so a test can crash it):
 * node dist/src/testing/hostpath-csi/main.js --root DIR --endpoint SOCK --registration-dir DIR --node-id ID [--name N] [--crash-file F] [--require-secret KEY=VALUE]
 */
import { parseArgs } from 'node:util';
import { HostpathCsiDriver } from './driver.js';

const { values } = parseArgs({ options: {
  root: { type: 'string' }, endpoint: { type: 'string' }, 'registration-dir': { type: 'string' },
  'node-id': { type: 'string' }, name: { type: 'string' }, 'crash-file': { type: 'string' }, 'require-secret': { type: 'string' },
} });
if (!values.root || !values.endpoint || !values['node-id']) {
  console.error('usage: main.js --root DIR --endpoint SOCK --node-id ID [--registration-dir DIR] [--name N] [--crash-file F] [--require-secret KEY=VALUE]');
  process.exit(2);
}
const driver = new HostpathCsiDriver({
  root: values.root, endpoint: values.endpoint, nodeId: values['node-id'],
  ...(values['registration-dir'] ? { registrationDir: values['registration-dir'] } : {}),
  ...(values.name ? { name: values.name } : {}),
  ...(values['crash-file'] ? { crashFile: values['crash-file'] } : {}),
  ...(values['require-secret']?.includes('=') ? { requireSecret: { key: values['require-secret'].split('=')[0]!, value: values['require-secret'].split('=').slice(1).join('=') } } : {}),
});
await driver.start();
console.log(`hostpath test CSI driver ${driver.name} serving ${values.endpoint}`);
const down = (): void => { void driver.stop().then(() => process.exit(0)); };
process.on('SIGTERM', down);
process.on('SIGINT', down);
