/**
 * The audit step: one audit.k8s.io/v1 Event per request when its answer is complete (stage
 * ResponseComplete, or Panic for an unexpected exception), and one more when a long-running answer
 * starts (ResponseStarted: watches, logs, image streams, and upgrades such as the node tunnel).
 * The policy decides the level once the user is known; every 401 and 403 is logged at least at
 * Metadata whatever it says, and requests that carry secrets never above Metadata.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../../api/errors.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { auditUser, carriesSecrets, microTime, type AuditEvent, type AuditUser, type ResponseStatus } from '../../audit/event.js';
import type { Level, Stage } from '../../audit/policy.js';
import type { Identity } from '../auth.js';
import type { ApiObject } from '../../../api/meta.js';
import type { ApiClient, WriteOptions } from '../../../client/types.js';
import type { RequestInfo } from './request-info.js';

/** Bodies larger than this are not put into events (an annotation says so). */
const maxBodyBytes = 1024 * 1024;

const rank: Record<Level, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

/** Collects chunks up to maxBodyBytes; past that it only remembers that there was more. */
class Capture {
  chunks: Buffer[] = [];
  bytes = 0;
  add(chunk: unknown): void {
    if (this.bytes > maxBodyBytes || chunk === null || chunk === undefined) return;
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : undefined;
    if (!b) return;
    this.bytes += b.length;
    if (this.bytes <= maxBodyBytes) this.chunks.push(b);
    else this.chunks = [];
  }
  get tooLarge(): boolean { return this.bytes > maxBodyBytes; }
  /** The body as JSON (a YAML body is kept as its text); undefined when empty or unparsable. */
  object(): unknown {
    if (this.chunks.length === 0) return undefined;
    const text = Buffer.concat(this.chunks).toString('utf8');
    try { return JSON.parse(text) as unknown; } catch { return text.length > 0 && !text.includes('\u0000') ? text : undefined; }
  }
}

const sourceIp = (addr: string | undefined): string => (addr ?? '').replace(/^::ffff:/, '');

/** The audit of one request. */
export class AuditRecorder {
  private readonly id = randomUUID();
  private readonly received = Date.now();
  private user: AuditUser | undefined;
  private decided: { level: Level; omitStages: readonly Stage[] } | undefined;
  private panic = false;
  private message: string | undefined;
  private done = false;
  private readonly requestBody?: Capture;
  private responseBody?: Capture;
  private readonly annotations: Record<string, string> = {};
  /** The name of the object a create made (from the API call: no body is parsed for it). */
  private created: string | undefined;

  private constructor(private readonly log: AuditLog, private readonly info: RequestInfo, private readonly req: IncomingMessage) {
    // Request levels log the body; a join's names the node (objectRef.name). Nothing else is teed:
    // an own push() on every request costs the HTTP path more than the rest of the audit.
    if (!info.longRunning && ((log.wantsBodies && info.mutating) || info.subresource === 'join')) {
      // Tee the body as the parser hands it over, whoever reads it later and however.
      const capture = new Capture();
      this.requestBody = capture;
      const push = req.push.bind(req);
      req.push = (chunk: unknown, encoding?: BufferEncoding): boolean => { capture.add(chunk); return push(chunk, encoding); };
    }
  }

  /** Audit a plain request answered on RES. */
  static forRequest(log: AuditLog, info: RequestInfo, req: IncomingMessage, res: ServerResponse): AuditRecorder {
    const r = new AuditRecorder(log, info, req);
    res.setHeader('audit-id', r.id);
    // Wrap the response only where needed: own methods on every response slow Node's HTTP path.
    if (info.longRunning) {
      const writeHead = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]): ServerResponse {
        if (res.statusCode < 400 && typeof args[0] === 'number' && args[0] < 400) r.emit('ResponseStarted', args[0]);
        return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as ServerResponse['writeHead'];
    } else if (log.wantsBodies && !carriesSecrets(info)) {
      const body = new Capture();
      r.responseBody = body;
      const write = res.write;
      res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]): boolean {
        body.add(chunk);
        return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      } as ServerResponse['write'];
      const end = res.end;
      res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]): ServerResponse {
        if (typeof chunk !== 'function') body.add(chunk);
        return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
      } as ServerResponse['end'];
    }
    res.once('close', () => r.complete(res.statusCode));
    return r;
  }

  /** Audit an upgrade on SOCKET: its status is read from the first bytes the handler writes. */
  static forUpgrade(log: AuditLog, info: RequestInfo, req: IncomingMessage, socket: Duplex): AuditRecorder {
    const r = new AuditRecorder(log, info, req);
    r.annotations['lantern.dev/remote-address'] = `${sourceIp(req.socket.remoteAddress)}:${req.socket.remotePort ?? 0}`;
    let code = 0;
    const sniff = (chunk: unknown): void => {
      if (code !== 0) return;
      const head = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.subarray(0, 4096).toString('latin1') : '';
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (!m) return;
      code = Number(m[1]);
      if (code === 101) r.emit('ResponseStarted', 101);
      else r.message = errorMessage(head.slice(head.indexOf('\r\n\r\n') + 4));
    };
    const write = socket.write;
    socket.write = function (this: Duplex, chunk: unknown, ...rest: unknown[]): boolean {
      sniff(chunk);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Duplex['write'];
    const end = socket.end;
    socket.end = function (this: Duplex, chunk?: unknown, ...rest: unknown[]): Duplex {
      sniff(chunk);
      return (end as (...a: unknown[]) => Duplex).call(this, chunk, ...rest);
    } as Duplex['end'];
    socket.once('close', () => r.complete(code === 0 ? 499 : code));
    return r;
  }

  /** The caller is known (authentication passed): decide the level now. */
  identify(id: Identity | undefined): void {
    this.user = auditUser(id);
    this.decided = this.log.decide(this.info, this.user);
  }

  /** The API client the dispatch step uses: the same, telling the audit the name a create made. */
  client(api: ApiClient): ApiClient {
    if (this.info.verb !== 'create') return api;
    return {
      create: async <T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T> => {
        const out = await api.create(resource, obj, opts);
        this.created = out.metadata?.name;
        return out;
      },
      get: (...a) => api.get(...a), list: (...a) => api.list(...a), update: (...a) => api.update(...a), updateStatus: (...a) => api.updateStatus(...a),
      delete: (...a) => api.delete(...a), watch: (...a) => api.watch(...a), bind: (...a) => api.bind(...a),
    };
  }

  /** Add an annotation to this request's events (admission's, such as Pod Security's audit violations). */
  annotate(key: string, value: string): void { this.annotations[key] = value; }

  /** The chain threw E: an ApiError is an answer, anything else a Panic. */
  failed(e: unknown): void {
    if (!(e instanceof ApiError)) this.panic = true;
    this.message ??= e instanceof Error ? e.message : String(e);
  }

  private complete(code: number): void {
    if (this.done) return;
    this.done = true;
    this.emit(this.panic ? 'Panic' : 'ResponseComplete', code);
  }

  private emit(stage: Stage, code: number): void {
    this.user ??= auditUser(undefined);
    this.decided ??= this.log.decide(this.info, this.user);
    let level = this.decided.level;
    const refused = code === 401 || code === 403;
    if (refused && stage !== 'ResponseStarted' && level === 'None') level = 'Metadata';
    if (level === 'None' || (!refused && this.decided.omitStages.includes(stage))) return;
    if (carriesSecrets(this.info) && rank[level] > rank.Metadata) level = 'Metadata';
    const status: ResponseStatus = { metadata: {}, code };
    if (code >= 400) {
      status.status = 'Failure';
      const message = this.message ?? (this.responseBody ? errorMessage(Buffer.concat(this.responseBody.chunks)) : undefined);
      if (message !== undefined) status.message = message;
    }
    const info = this.info;
    const body = this.requestBody?.object();
    const event: AuditEvent = {
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level, auditID: this.id, stage, requestURI: info.uri, verb: info.verb, user: this.user,
      sourceIPs: [sourceIp(this.req.socket.remoteAddress)],
      ...(this.req.headers['user-agent'] !== undefined ? { userAgent: this.req.headers['user-agent'] } : {}),
      ...(info.isResourceRequest ? { objectRef: objectRef(info, this.created ?? nameIn(info, body)) } : {}),
      responseStatus: status,
      requestReceivedTimestamp: microTime(this.received),
      stageTimestamp: microTime(Date.now()),
    };
    const annotations = { ...this.annotations };
    if (code === 403) annotations['authorization.k8s.io/decision'] = 'forbid';
    else if (code !== 401 && this.user.username !== 'system:anonymous') annotations['authorization.k8s.io/decision'] = 'allow';
    if (rank[level] >= rank.Request && stage !== 'ResponseStarted') {
      if (this.requestBody?.tooLarge) annotations['lantern.dev/request-object'] = `omitted: larger than ${maxBodyBytes} bytes`;
      if (body !== undefined) event.requestObject = body;
    }
    if (level === 'RequestResponse' && stage !== 'ResponseStarted') {
      if (this.responseBody?.tooLarge) annotations['lantern.dev/response-object'] = `omitted: larger than ${maxBodyBytes} bytes`;
      const obj = this.responseBody?.object();
      if (obj !== undefined) event.responseObject = obj;
    }
    if (Object.keys(annotations).length > 0) event.annotations = annotations;
    this.log.emit(event);
  }
}

/** The name a create's body gives (a join's nodeName), when the body was teed. */
function nameIn(info: RequestInfo, body: unknown): string | undefined {
  if (info.verb !== 'create' || body === null || typeof body !== 'object') return undefined;
  const named = body as { metadata?: { name?: unknown }; nodeName?: unknown };
  const name = info.subresource === 'join' ? named.nodeName : named.metadata?.name;
  return typeof name === 'string' && name.length <= 253 ? name : undefined;
}

/** The object of the request; a create's name is the created object's. */
function objectRef(info: RequestInfo, createdName: string | undefined): AuditEvent['objectRef'] {
  const ref: NonNullable<AuditEvent['objectRef']> = { resource: info.resource };
  if (info.namespace !== '') ref.namespace = info.namespace;
  if (info.name !== '') ref.name = info.name;
  else if (createdName !== undefined) ref.name = createdName;
  if (info.apiGroup !== '') ref.apiGroup = info.apiGroup;
  if (info.apiVersion !== '') ref.apiVersion = info.apiVersion;
  if (info.subresource !== '') ref.subresource = info.subresource;
  return ref;
}

/** The message of an error body ({"message": ...}), or its first line of text. */
function errorMessage(chunk: unknown): string | undefined {
  const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.subarray(0, 65536).toString('utf8') : undefined;
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch { /* not JSON */ }
  return text.split('\n')[0]?.slice(0, 1024);
}
