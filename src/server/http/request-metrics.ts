/** kube-apiserver's request metrics, observed around every HTTP request the server answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry, Histogram, Counter, Gauge } from '../../metrics/registry.js';
import { parseRoute } from './route.js';
import { requestUrlOrRoot } from './request-url.js';
import { boundedLabels } from './metric-labels.js';

/** kube-apiserver's buckets for apiserver_request_duration_seconds. */
const buckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/** The verb, resource and subresource kube-apiserver would label a request with. */
export function classifyRequest(method: string, url: URL): { verb: string; resource: string; subresource: string } {
  const p = url.pathname;
  if (p === '/v2' || p.startsWith('/v2/')) return { verb: method, resource: 'registry', subresource: '' };
  if (p === '/metrics') return { verb: 'GET', resource: 'metrics', subresource: '' };
  if (p.startsWith('/apis/metrics.k8s.io/')) return { verb: 'GET', resource: 'metrics.k8s.io', subresource: '' };
  if (/^\/api\/v1\/nodes\/[^/]+\/proxy\//.test(p)) return { verb: 'CONNECT', resource: 'nodes', subresource: 'proxy' };
  try {
    const r = parseRoute(p);
    if (r.type === 'health') return { verb: method, resource: '', subresource: '' };
    if (r.type === 'images') return { verb: method, resource: 'images', subresource: '' };
    const watch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    const verb = method === 'GET' ? (watch ? 'WATCH' : r.name === undefined ? 'LIST' : 'GET')
      : method === 'POST' ? 'CREATE' : method === 'PUT' ? 'UPDATE' : method === 'DELETE' && r.name === undefined ? 'DELETECOLLECTION' : method;
    return { verb, resource: r.resource, subresource: r.sub ?? '' };
  } catch {
    return { verb: method, resource: '', subresource: '' };
  }
}

/** Registers the apiserver metrics and times each request from arrival to the end of its answer. */
export class RequestMetrics {
  private readonly duration: Histogram;
  private readonly total: Counter;
  private readonly watchers: Gauge;

  constructor(reg: Registry) {
    const labelNames = ['verb', 'resource', 'subresource', 'code'];
    this.duration = reg.histogram({ name: 'apiserver_request_duration_seconds', help: 'Response latency distribution in seconds for each verb, resource, subresource and code.', labelNames, buckets });
    this.total = reg.counter({ name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out for each verb, resource, subresource and HTTP response code.', labelNames });
    this.watchers = reg.gauge({ name: 'apiserver_registered_watchers', help: 'Number of currently open watch requests, by resource.', labelNames: ['resource'] });
  }

  /** Starts timing REQ; the observation happens when its response ends or the client goes away. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const t0 = performance.now();
    // Labels from a bounded set (metric-labels.ts): a client must not mint a series per URL it makes up.
    const { verb, resource, subresource } = boundedLabels(classifyRequest(req.method ?? 'GET', requestUrlOrRoot(req)));
    const watch = verb === 'WATCH';
    // apiserver_current_inflight_requests{request_kind} is the in-flight limiter's (chain/inflight.ts).
    if (watch) this.watchers.inc({ resource });
    let done = false;
    const end = (): void => {
      if (done) return;
      done = true;
      if (watch) this.watchers.dec({ resource });
      const labels = { verb, resource, subresource, code: String(res.statusCode) };
      this.duration.observe(labels, (performance.now() - t0) / 1000);
      this.total.inc(labels);
    };
    res.once('finish', end);
    res.once('close', end);
  }
}
