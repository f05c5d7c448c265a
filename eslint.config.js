// Lint: typescript-eslint's recommended rules plus the layering of docs/architecture.md.
// Dependencies point downwards; each rule below names what a layer may not import.
import tseslint from 'typescript-eslint';

const layer = (name) => [`**/${name}/**`, `../${name}/*`, `../../${name}/*`, `../../../${name}/*`];
// The test kit (src/testing) is for tests only: shipped code may not import it, tests may.
const testFiles = ['**/*.test.ts', '**/testing/**', '**/testing.ts', '**/testkit.ts', '**/test-server.ts'];
const testKit = { group: ['**/testing/*', '../testing/*', '../../testing/*', '../../../testing/*'], message: 'src/testing is the test kit: only tests (*.test.ts, test/, bench/) may import it' };
const importRule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const forbid = (files, layers, message, extra = [], allow = []) => {
  const patterns = [{ group: [...layers.flatMap(layer), ...allow], message }, ...extra];
  return [
    { files, ignores: testFiles, rules: importRule([...patterns, testKit]) },
    { files: files.flatMap((f) => testFiles.map((t) => `${f.replace(/\*\*$/, '')}${t}`)), rules: importRule(patterns) },
  ];
};
const all = ['api', 'client', 'store', 'server', 'scheduler', 'controllers', 'agent', 'runtime', 'image', 'network', 'cli', 'daemon', 'web', 'sim', 'registry', 'builder', 'metrics', 'host'];
const except = (...keep) => all.filter((l) => !keep.includes(l));
// The builder and the agent hold the image store and the runtime by their interfaces; only the daemon builds the real ones.
const imageStoreImpl = { group: ['**/image/store.js'], message: 'use the image interfaces (image/types.ts): the daemon constructs the on-disk image store' };
const runcImpl = { group: ['**/runtime/runc/*'], message: 'run steps through the ContainerRuntime interface (runtime/types.ts): the daemon constructs the runc runtime' };
const noIo = { group: ['node:fs', 'node:fs/*', 'node:child_process', 'node:net', 'node:http', 'node:https', 'fs', 'child_process'], message: 'the scheduler does no I/O: it decides over a snapshot, the API client does the rest' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'scripts/**', 'bin/**', 'eslint.config.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  ...forbid(['src/api/**'], except('api'), 'src/api is the bottom layer: it imports nothing of ours'),
  ...forbid(['src/metrics/**'], except('metrics'), 'src/metrics is a leaf library: it imports nothing of ours'),
  ...forbid(['src/client/**'], except('api', 'client'), 'the client depends only on api'),
  ...forbid(['src/store/**'], except('api', 'store'), 'the store depends only on api'),
  ...forbid(['src/host/**'], except('api', 'host'), 'src/host is a leaf library of host facilities (commands, mounts): it imports only api'),
  ...forbid(['src/runtime/**'], except('api', 'runtime', 'host'), 'runtime depends only on api and host'),
  ...forbid(['src/image/**'], except('api', 'image', 'host'), 'image depends only on api and host'),
  ...forbid(['src/network/**'], except('api', 'network'), 'network depends only on api'),
  ...forbid(['src/registry/**'], except('api', 'registry'), 'the registry depends only on api: the daemon hands it to the HTTP server'),
  ...forbid(['src/scheduler/**'], except('api', 'client', 'scheduler', 'metrics'), 'the scheduler sees the cluster only through the API client', [noIo]),
  // The same, plus: the scheduler's cache and framework know no plugin (a plugin registers its data as a cache extension).
  ...forbid(['src/scheduler/cache.ts', 'src/scheduler/framework/**'], except('api', 'client', 'scheduler', 'metrics'), 'the scheduler sees the cluster only through the API client',
    [noIo, { group: ['**/plugins/*'], message: 'the scheduler cache and framework import no plugin: a plugin registers what it keeps as a cache extension (framework/extension.ts)' }]),
  ...forbid(['src/server/**'], except('api', 'client', 'store', 'server', 'metrics'), 'the server never imports the agent, scheduler or node components: the daemon composes them'),
  ...forbid(['src/builder/**'], except('api', 'image', 'runtime', 'host', 'builder'), 'the builder depends only on api, image, runtime and host', [imageStoreImpl, runcImpl]),
  ...forbid(['src/agent/**'], except('api', 'client', 'agent', 'runtime', 'image', 'network', 'builder', 'metrics'), 'the agent talks to the control plane only through the API client', [imageStoreImpl]),
  // The pod runner and its hooks (agent/pods) build on these parts of the agent; they never import it back.
  // The node DNS (agent/dns) is fed by informers and asked by the dns hook: it knows no runtime, network or pod runner.
  ...forbid(['src/agent/dns/**'], except('api', 'client', 'agent'), 'agent/dns uses only api and client (the dns hook in agent/pods feeds it the pod network)',
    [{ group: ['../pods/*', '../pods/**', '../*.js'], message: 'agent/dns imports only api, client and its own folder' }]),
  ...forbid(['src/agent/config/**', 'src/agent/gang/**', 'src/agent/probes/**', 'src/agent/container/**'], except('api', 'client', 'agent', 'runtime', 'image', 'network', 'builder', 'metrics'), 'the agent talks to the control plane only through the API client',
    [imageStoreImpl, { group: ['../pods/*', '../pods/**'], message: 'agent/pods (the runner and its hooks) uses config/, gang/, probes/ and container/, not the other way round' }]),
  ...forbid(['src/controllers/**'], except('api', 'client', 'controllers'), 'controllers are API clients'),
  // Its tests and testing.ts may compose a server: only the shipped simulator is held to the rule.
  forbid(['src/sim/**'], except('api', 'client', 'sim'), 'simulated nodes are API clients: they import only api, client and sim')[0],
  // The CLI may use the builder's pure context helpers (.dockerignore, tar writer) to send a build context,
  // and image/signing (lcctl image sign/verify talk to the image's registry themselves: the key never leaves the client),
  // and image/scan (lcctl image scan matches on the client against its offline database, as Trivy does).
  ...forbid(['src/cli/**', 'src/web/**'], except('api', 'client', 'cli', 'web'), 'cli and web never import server, agent or store: they use the API', [],
    ['../../builder/dockerignore.js', '../../builder/tar-writer.js', '../../image/signing', '../../image/signing/*.js', '../../image/scan', '../../image/scan/*.js'].map((p) => `!${p}`)),
  // Configuration reaches the daemon's parts in one typed config: only the entry points read the
  // environment (the CLI is one; the ignored runtime and network files hand it on to child processes).
  {
    files: ['src/**/*.ts'],
    ignores: [...testFiles, 'src/cli/**', 'src/daemon/server.ts', 'src/daemon/agent.ts', 'src/daemon/sim.ts',
      'src/runtime/runc/conmon.ts', 'src/runtime/runc/exec.ts', 'src/runtime/runc/syscall-probe.ts', 'src/network/exec.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read the environment in the lanternd entry point (src/daemon/*-config.ts gets it as a parameter) and hand the value in' }] },
  },
);
