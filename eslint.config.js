// Lint: typescript-eslint's recommended rules plus the layering of docs/architecture.md.
// Dependencies point downwards; each rule below names what a layer may not import.
import tseslint from 'typescript-eslint';

const layer = (name) => [`**/${name}/**`, `../${name}/*`, `../../${name}/*`, `../../../${name}/*`];
// The test kit (src/testing) is for tests only: shipped code may not import it, tests may.
const testFiles = ['**/*.test.ts', '**/testing/**', '**/testing.ts', '**/testkit.ts'];
const testKit = { group: ['**/testing/*', '../testing/*', '../../testing/*', '../../../testing/*'], message: 'src/testing is the test kit: only tests (*.test.ts, test/, bench/) may import it' };
const importRule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const forbid = (files, layers, message, extra = [], allow = []) => {
  const patterns = [{ group: [...layers.flatMap(layer), ...allow], message }, ...extra];
  return [
    { files, ignores: testFiles, rules: importRule([...patterns, testKit]) },
    { files: files.flatMap((f) => testFiles.map((t) => `${f.replace(/\*\*$/, '')}${t}`)), rules: importRule(patterns) },
  ];
};
const all = ['api', 'client', 'store', 'server', 'scheduler', 'controllers', 'agent', 'runtime', 'image', 'network', 'cli', 'daemon', 'web', 'sim', 'registry', 'build', 'metrics'];
const except = (...keep) => all.filter((l) => !keep.includes(l));
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
  ...forbid(['src/runtime/**'], except('api', 'runtime'), 'runtime depends only on api'),
  ...forbid(['src/image/**'], except('api', 'image'), 'image depends only on api'),
  ...forbid(['src/network/**'], except('api', 'network'), 'network depends only on api'),
  ...forbid(['src/registry/**'], except('api', 'registry'), 'the registry depends only on api: the daemon hands it to the HTTP server'),
  ...forbid(['src/scheduler/**'], except('api', 'client', 'scheduler', 'metrics'), 'the scheduler sees the cluster only through the API client', [noIo]),
  ...forbid(['src/server/**'], except('api', 'client', 'store', 'server', 'metrics'), 'the server never imports the agent, scheduler or node components: the daemon composes them'),
  ...forbid(['src/build/**'], except('api', 'image', 'runtime', 'build'), 'the builder depends only on api, image and runtime'),
  ...forbid(['src/agent/**'], except('api', 'client', 'agent', 'runtime', 'image', 'network', 'build', 'metrics'), 'the agent talks to the control plane only through the API client'),
  ...forbid(['src/controllers/**'], except('api', 'client', 'controllers'), 'controllers are API clients'),
  // Its tests and testing.ts may compose a server: only the shipped simulator is held to the rule.
  forbid(['src/sim/**'], except('api', 'client', 'sim'), 'simulated nodes are API clients: they import only api, client and sim')[0],
  // The CLI may use build's pure context helpers (.dockerignore, tar writer) to send a build context.
  ...forbid(['src/cli/**', 'src/web/**'], except('api', 'client', 'cli', 'web'), 'cli and web never import server, agent or store: they use the API', [],
    ['../../build/dockerignore.js', '../../build/tar-writer.js'].map((p) => `!${p}`)),
);
