/** lcctl auth whoami [-o json|yaml]: who the server takes the caller for (a SelfSubjectReview, as kubectl auth whoami). */
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { kubeStyle, renderTable } from '../output/table.js';
import { toYaml } from '../output/yaml.js';

interface Review { status?: { userInfo?: { username?: string; uid?: string; groups?: string[] } } }

/** Print the caller's user name, uid and groups. */
export async function whoami(p: Parsed): Promise<number> {
  const output = p.str('output') ?? '';
  if (!['', 'json', 'yaml'].includes(output)) throw new UsageError(`--output: ${JSON.stringify(output)} is not one of json, yaml`);
  const review = await connect(p).json<Review>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  if (output === 'json') { process.stdout.write(`${JSON.stringify(review, null, 2)}\n`); return 0; }
  if (output === 'yaml') { process.stdout.write(await toYaml(review)); return 0; }
  const u = review.status?.userInfo ?? {};
  const rows: string[][] = [['Username', u.username ?? '']];
  if (u.uid) rows.push(['UID', u.uid]);
  rows.push(['Groups', `[${(u.groups ?? []).join(' ')}]`]);
  process.stdout.write(renderTable(['ATTRIBUTE', 'VALUE'], rows, kubeStyle));
  return 0;
}
