/**
 * lcctl port-forward: listen on local ports and carry each accepted TCP connection to a pod's port,
 * one upgraded HTTP connection per TCP connection (the server reaches the pod's node in process or
 * through the node's tunnel). Runs until Ctrl-C.
 */
import net from 'node:net';
import type { Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import { FramedDuplex, abortStream, portForwardPath, splice } from '../../client/port-forward.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { CliError, UsageError, errorText } from '../errors.js';
import { openUpgrade } from '../io/upgrade.js';
import { listenAddresses, parsePortPair, podName, type PortPair } from '../port-forward/ports.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'port-forward',
  usage: 'port-forward [pod/]NAME [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N] [OPTIONS]',
  summary: 'Forward one or more local ports to a pod',
  style: 'kubectl',
  flags: [
    { name: 'address', type: 'string', help: 'Addresses to listen on (comma separated); localhost means 127.0.0.1', default: '127.0.0.1' },
    namespaceFlag,
  ],
  notes: [
    'Examples:',
    '  lcctl port-forward pod/web 8080:80     # local 8080 -> port 80 of pod web',
    '  lcctl port-forward web :80             # a free local port, printed, -> port 80',
    '  lcctl port-forward web 5000 6000       # local 5000 -> 5000 and 6000 -> 6000',
    'Works for pods on any node, including edge nodes reached only through their agent\'s tunnel.',
    'Stop it with Ctrl-C.',
  ].join('\n'),
};

/** Set on Ctrl-C: connections cut then are not reported as failures. */
let stopping = false;

/** Run the verb; resolves with 0 once interrupted. */
export async function run(p: Parsed): Promise<number> {
  const [ref, ...portArgs] = p.args;
  if (ref === undefined || portArgs.length === 0) throw new UsageError('TYPE/NAME and list of ports are required for port-forward');
  const name = podName(ref);
  const pairs = portArgs.map(parsePortPair);
  const addresses = listenAddresses(p.str('address'));
  const client = connect(p);
  const ns = namespaceOf(p);
  const pod = await client.get<Pod>('pods', name, ns);
  if (pod.status?.phase !== 'Running') throw new CliError(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Pending'}`);

  const servers: net.Server[] = [];
  const open = new Set<net.Socket>();
  try {
    for (const pair of pairs) {
      let local = pair.local;
      for (const address of addresses) {
        const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (sock) => forward(client, ns, name, pair, sock, open));
        servers.push(server);
        local = await listen(server, address, local);
        process.stdout.write(`Forwarding from ${address.includes(':') ? `[${address}]` : address}:${local} -> ${pair.remote}\n`);
      }
    }
  } catch (e) {
    for (const s of servers) s.close();
    throw e;
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      stopping = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      for (const s of servers) s.close();
      for (const sock of open) sock.destroy();
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

/** Listen on address:port (0 = any free port, the same one for every further address); the port bound. */
function listen(server: net.Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(new CliError(`unable to listen on ${address}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is already in use; pick another local port or use :REMOTE for a free one' : e.message}`));
    });
    server.listen(port, address, () => {
      const bound = server.address();
      resolve(typeof bound === 'object' && bound !== null ? bound.port : port);
    });
  });
}

/** Carry one accepted connection to the pod; a failure is reported and the local connection reset. */
function forward(client: HttpClient, ns: string, pod: string, pair: PortPair, sock: net.Socket, open: Set<net.Socket>): void {
  open.add(sock);
  sock.on('close', () => open.delete(sock));
  const report = (e: unknown): void => {
    if (stopping) return;
    process.stderr.write(`error: forwarding a connection to port ${pair.remote} of pod ${pod}: ${errorText(e)}\n`);
  };
  sock.on('error', () => undefined);
  process.stdout.write(`Handling connection for ${sock.localPort ?? pair.local}\n`);
  openUpgrade(client, portForwardPath(ns, pod, pair.remote)).then((up) => {
    if (sock.destroyed) { up.socket.destroy(); return; }
    sock.setNoDelay(true);
    splice(sock, new FramedDuplex(up.socket, up.head), report);
    sock.resume();
  }, (e: unknown) => {
    report(e);
    abortStream(sock);
  });
}
