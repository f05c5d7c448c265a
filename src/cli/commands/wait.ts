/** lcctl wait --for=condition=TYPE[=VALUE]|delete KIND/NAME... [--timeout=30s]: kubectl's wait, for any kind with conditions. */
import type { ApiObject } from '../../api/meta.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { UsageError, isCode, kubeErrorLine } from '../errors.js';
import type { KindModule } from '../../api/kinds/module.js';
import { resolveKind, unknownKindMessage } from '../../api/kinds/names.js';
import { parseDuration } from '../output/durations.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'wait',
  usage: 'wait --for=condition=TYPE[=VALUE]|delete KIND/NAME... [--timeout=30s]',
  summary: 'Wait until objects meet a condition (e.g. job/NAME complete) or are deleted',
  style: 'kubectl',
  flags: [
    { name: 'for', type: 'string', help: 'condition=Complete, condition=Failed, condition=Ready=False, or delete' },
    { name: 'timeout', type: 'string', help: 'How long to wait before giving up (0: check once)', default: '30s' },
    namespaceFlag,
  ],
  notes: 'Examples:\n  lcctl wait --for=condition=complete job/pi --timeout=60s\n  lcctl wait --for=condition=failed jobs pi\n  lcctl wait --for=delete pod/web-1',
};

type Want = { delete: true } | { delete: false; type: string; value: string };

function parseFor(text: string | undefined): Want {
  if (text === undefined) throw new UsageError('--for is required: --for=condition=Complete or --for=delete');
  if (text === 'delete') return { delete: true };
  const m = /^condition=([^=]+)(?:=(.*))?$/.exec(text);
  if (!m) throw new UsageError(`unrecognized condition: "${text}": use --for=condition=TYPE[=VALUE] or --for=delete`);
  return { delete: false, type: m[1]!, value: m[2] ?? 'True' };
}

/** Does the object have the condition (type compared case-insensitively, as kubectl does)? */
export function hasCondition(obj: ApiObject, type: string, value: string): boolean {
  const conds = (obj as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
  return conds.some((c) => c.type.toLowerCase() === type.toLowerCase() && c.status.toLowerCase() === value.toLowerCase());
}

function targets(args: string[]): { kind: KindModule; name: string }[] {
  const [first, ...rest] = args;
  if (first === undefined) throw new UsageError('you must specify what to wait for, e.g. job/NAME');
  const one = (kindName: string, name: string): { kind: KindModule; name: string } => {
    const kind = resolveKind(kindName);
    if (!kind) throw new UsageError(unknownKindMessage(kindName));
    return { kind, name };
  };
  if (first.includes('/')) return args.map((a) => { const i = a.indexOf('/'); if (i < 0) throw new UsageError(`expected KIND/NAME, got "${a}"`); return one(a.slice(0, i), a.slice(i + 1)); });
  if (rest.length === 0) throw new UsageError(`name the ${first} to wait for: lcctl wait --for=... ${first} NAME`);
  return rest.map((n) => one(first, n));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const want = parseFor(p.str('for'));
  const timeoutText = p.str('timeout') ?? '30s';
  const timeoutS = /^-?\d+$/.test(timeoutText) ? Number(timeoutText) : parseDuration(timeoutText);
  if (timeoutS === undefined) throw new UsageError(`invalid argument "${timeoutText}" for "--timeout" flag: expected a duration such as 30s or 5m`);
  // kubectl: a negative timeout means a week.
  const deadline = Date.now() + (timeoutS < 0 ? 7 * 86_400 : timeoutS) * 1000;
  const client = connect(p);
  const ns = p.str('namespace') || 'default';
  let status = 0;
  for (const t of targets(p.args)) {
    const where = t.kind.namespaced ? ns : undefined;
    for (;;) {
      let obj: ApiObject | undefined;
      try { obj = await client.get<ApiObject>(t.kind.resource, t.name, where); } catch (e) {
        if (!isCode(e, 'NotFound')) throw e;
        if (!want.delete) { process.stderr.write(`${kubeErrorLine(e)}\n`); status = 1; break; }
      }
      if (want.delete && obj === undefined) { process.stdout.write(`${t.kind.qualifiedName}/${t.name} condition met\n`); break; }
      if (!want.delete && obj !== undefined && hasCondition(obj, want.type, want.value)) { process.stdout.write(`${t.kind.qualifiedName}/${t.name} condition met\n`); break; }
      if (Date.now() >= deadline) {
        process.stderr.write(`error: timed out waiting for the condition on ${t.kind.resource}/${t.name}\n`);
        return 1;
      }
      await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
    }
  }
  return status;
}
