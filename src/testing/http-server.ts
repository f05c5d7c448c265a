/** The real API HTTP server (createApiServer) over the kit's test API, listening on a loopback port. */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiServer, type ApiServerOptions } from '../server/http/server.js';
import { openTestApi, type TestApi } from './api.js';

/** A listening test server; close() drops its connections, stops it and removes the store. */
export interface TestHttpServer {
  /** The store, its directory and the ApiService (what the server serves unless options name another api). */
  t: TestApi;
  server: http.Server;
  port: number;
  /** `http://127.0.0.1:PORT`, or https when the options carry TLS. */
  url: string;
  close(): Promise<void>;
}

/**
 * Open a test API, build the server's options from it (so credentials and tokens can live in its
 * store) and listen on 127.0.0.1 (IPv4 loopback, so 127.0.0.2... reach it too) on a free port.
 */
export async function startTestHttpServer(options: (t: TestApi) => ApiServerOptions | Promise<ApiServerOptions>, opts: { prefix?: string } = {}): Promise<TestHttpServer> {
  const t = await openTestApi({ prefix: opts.prefix ?? 'lantern-http-' });
  try {
    const o = await options(t);
    const server = createApiServer(o);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return {
      t, server, port, url: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await t.close();
      },
    };
  } catch (e) {
    await t.close();
    throw e;
  }
}
