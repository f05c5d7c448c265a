/**
 * The verb table main.ts dispatches on. Only this table is loaded at start-up; a verb's module is
 * imported when it runs, so `lcctl run` pays for run alone.
 */
import type { VerbStyle } from './args.js';

/** A verb: its module under commands/, error style, exit status on failure, and help line. */
export interface VerbEntry { module: string; style: VerbStyle; failCode: number; summary: string }

const docker = (module: string, summary: string, failCode = 1): VerbEntry => ({ module, style: 'docker', failCode, summary });
const kube = (module: string, summary: string): VerbEntry => ({ module, style: 'kubectl', failCode: 1, summary });

/** Every verb, in help order. */
export const verbs: Record<string, VerbEntry> = {
  run: docker('run', 'Create and run a new container from an image', 125),
  ps: docker('ps', 'List containers'),
  logs: docker('logs', 'Fetch the logs of a container'),
  exec: docker('exec', 'Execute a command in a running container'),
  stop: docker('stop', 'Stop one or more running containers'),
  start: docker('start', 'Start one or more stopped containers'),
  restart: docker('restart', 'Restart one or more containers'),
  rm: docker('rm', 'Remove one or more containers'),
  inspect: docker('inspect', 'Return the pod objects of containers as JSON'),
  stats: docker('stats', 'Display a live stream of container resource usage'),
  top: kube('top', 'Display resource (CPU/memory) usage of nodes or pods'),
  gpu: kube('gpu', 'List the GPUs and NPUs of the nodes (gpu ls), or install the NVIDIA driver (gpu install-driver)'),
  build: docker('build', 'Build an image from a Dockerfile'),
  compose: docker('compose', 'Run a Compose file as Deployments and Services in one namespace (up, down, ps, logs, config, pull, build)'),
  images: docker('images', 'List images'),
  image: docker('image', 'Manage images (import, inspect, ls, prune, rm, save)'),
  network: docker('network', 'Manage networks (create, ls, inspect, rm, connect, disconnect, prune)'),
  volume: docker('volume', 'Manage volumes (create, ls, inspect, rm, prune)'),
  rmi: docker('rmi', 'Remove one or more images'),
  pull: docker('pull', 'Download an image from a registry'),
  push: docker('push', 'Upload an image to a registry'),
  tag: docker('tag', 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'),
  login: docker('login', 'Log in to a registry'),
  logout: docker('logout', 'Log out from a registry'),
  load: docker('image-import', 'Import an image archive into a node (as image import)'),
  save: docker('save', 'Save one or more images to a tar archive (docker load and image import read it)'),
  apply: kube('apply', 'Create or update objects from a file (YAML or JSON)'),
  diff: { module: 'diff', style: 'kubectl', failCode: 2, summary: 'Diff the live objects against what apply -f would make' },
  get: kube('get', 'Display one or many objects of a kind (lcctl get --help lists the kinds)'),
  describe: kube('describe', 'Show details of objects (lcctl describe --help lists the kinds it describes)'),
  delete: kube('delete', 'Delete objects by name or from a file'),
  create: kube('create', 'Create a deployment, configmap or secret generic'),
  scale: kube('scale', 'Set a new size for a deployment'),
  expose: kube('expose', 'Expose a deployment, replicaset or pod as a Service (ClusterIP or NodePort)'),
  autoscale: kube('autoscale', 'Scale a deployment on its pods\' CPU use (a HorizontalPodAutoscaler)'),
  workflow: kube('workflow', 'Show a workflow\'s DAG of steps with their state (workflow get NAME)'),
  queue: kube('queue', 'List queues with their fair share (queue list) or create one (queue create NAME --weight N)'),
  wait: kube('wait', 'Wait until objects meet a condition (job/NAME complete) or are deleted'),
  rollout: kube('rollout', 'Manage the rollout of a deployment, statefulset or daemonset (status, history, undo, pause, resume, restart)'),
  set: kube('set', 'Update the images of a deployment (set image)'),
  cordon: kube('cordon', 'Mark nodes as unschedulable'),
  uncordon: kube('uncordon', 'Mark nodes as schedulable'),
  drain: kube('drain', 'Cordon a node and delete its pods, for maintenance'),
  'port-forward': kube('port-forward', 'Forward one or more local ports to a pod'),
  taint: kube('taint', 'Update the taints on a node'),
  label: kube('label', 'Update the labels on a node'),
  node: kube('node', 'List node credentials (node credentials) or revoke one (node revoke NAME)'),
  auth: kube('auth', 'Inspect authorization: who you are (auth whoami), what you may do (auth can-i)'),
  token: kube('token', 'Create, list and delete join tokens; rotate the admin token (token rotate --admin)'),
  config: kube('config', 'Print a kubeconfig for kubectl and the Kubernetes client libraries (config kubeconfig)'),
  version: kube('version', 'Print the client and server version'),
  completion: kube('completion', 'Print a shell completion script (completion bash|zsh|fish)'),
  // Hidden (names starting "__" are left out of help): the completion scripts' object-name lookup.
  __complete: kube('complete-names', 'List object names for the completion scripts'),
  help: kube('help', 'Help about any command'),
};

/** Top-level help text, built from the table without loading any verb. */
export function mainHelp(): string {
  const names = Object.keys(verbs).filter((n) => !n.startsWith('__'));
  const width = Math.max(...names.map((n) => n.length)) + 3;
  const lines = [
    'Usage:  lcctl [--server URL] [--token TOKEN] COMMAND [OPTIONS]',
    '',
    'lcctl is the command line of Lantern: Docker-style verbs for containers, kubectl-style verbs for objects.',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}${verbs[n]!.summary}`),
    '',
    'Connection: --server/--token, else LANTERN_SERVER/LANTERN_TOKEN, else the file in LANTERN_CONFIG',
    '(default ~/.lantern/config.yaml) with `server:`, `token:` and optional `caData:`.',
    '',
    "Run 'lcctl COMMAND --help' for more information on a command.",
  ];
  return lines.join('\n') + '\n';
}
