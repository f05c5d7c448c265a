/** GET /v2/NAME/_scan/REFERENCE: the last scan-on-push summary of a manifest (Lantern's; who may pull may read it). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError } from './errors.js';
import { isTag, parseDigest } from './names.js';
import { sendJsonBody } from './respond.js';
import type { RegistryStorage } from './storage.js';

/** Answers the summary as JSON; 404 naming why when scan on push is off, the manifest is unknown or not scanned yet. */
export async function serveScan(storage: RegistryStorage, req: IncomingMessage, res: ServerResponse, name: string, reference: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new RegistryError('UNSUPPORTED', `${req.method} is not supported on a scan summary: use GET`);
  if (!storage.scanSummary) throw new RegistryError('UNSUPPORTED', 'scan on push is off on this server (lanternd server --scan-on-push)', null, 404);
  const digest = isTag(reference) ? await storage.resolveTag(name, reference) : parseDigest(reference);
  if (!digest || !(await storage.getManifest(name, digest))) throw new RegistryError('MANIFEST_UNKNOWN', `manifest "${reference}" is not in repository "${name}"`, { name, reference });
  const summary = await storage.scanSummary(digest.text);
  if (!summary) throw new RegistryError('MANIFEST_UNKNOWN', `${name}@${digest.text} has not been scanned (yet): scans run in the background after a push`, { name, reference }, 404);
  sendJsonBody(req, res, 200, summary);
}
