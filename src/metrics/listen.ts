import http from 'node:http';
import { contentType } from './registry.js';

/**
 * A plain-HTTP listener that serves only GET /metrics, without authentication, for a Prometheus on
 * the same host or network (lanternd --metrics-listen). Resolves once it listens.
 */
export async function listenMetrics(address: string, produce: () => Promise<string>): Promise<http.Server> {
  const m = /^(.*):([0-9]+)$/.exec(address);
  if (!m) throw new Error(`--metrics-listen ${JSON.stringify(address)}: expected HOST:PORT, e.g. 127.0.0.1:9100`);
  const host = m[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('only GET /metrics is served here\n');
      return;
    }
    produce().then((text) => {
      res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }, (e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`collecting metrics failed: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`--metrics-listen ${address}: ${e.message}`)));
    server.listen(Number(m[2]), host, () => resolve());
  });
  return server;
}
