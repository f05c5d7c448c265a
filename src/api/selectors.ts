import { ApiError } from './errors.js';
import { requirementMatches } from './label-selector.js';

/** One requirement of a label selector's text form, as Kubernetes' labels.Requirement. */
export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** Parse "app=web,tier!=db,env in (a,b),!legacy" into requirements. */
export function parseLabelSelector(text: string): Requirement[] {
  const out: Requirement[] = [];
  for (const term of splitTerms(text)) {
    const t = term.trim();
    if (t === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t))) {
      out.push({ key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values: setValues(m[3]!) });
    } else if ((m = /^([^\s!=]+)\s*!=\s*([^\s!=]*)$/.exec(t))) {
      out.push({ key: m[1]!, operator: 'NotIn', values: [m[2]!] });
    } else if ((m = /^([^\s!=]+)\s*==?\s*([^\s!=]*)$/.exec(t))) {
      out.push({ key: m[1]!, operator: 'In', values: [m[2]!] });
    } else if ((m = /^!\s*([^\s!=]+)$/.exec(t))) {
      out.push({ key: m[1]!, operator: 'DoesNotExist', values: [] });
    } else if ((m = /^([^\s!=()]+)$/.exec(t))) {
      out.push({ key: m[1]!, operator: 'Exists', values: [] });
    } else {
      throw new ApiError('BadRequest', `invalid selector term ${JSON.stringify(t)}: expected key=value, key!=value, key in (a,b), key notin (a,b), key or !key`);
    }
  }
  return out;
}

/** The values of "(a,b)" as Kubernetes' parser reads them: trimmed, once each; an empty one ("()", "(a,)") is "". */
function setValues(inner: string): string[] {
  return [...new Set(inner.split(',').map((v) => v.trim()))];
}

/** Split on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { terms.push(cur); cur = ''; } else cur += ch;
  }
  terms.push(cur);
  return terms;
}

/** True when the labels satisfy every requirement (label-selector.ts: requirementMatches). */
export function matchesRequirements(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => requirementMatches(r, l));
}

/** True when the labels match the selector text (empty selects everything). */
export function matchesLabelSelector(text: string | undefined, labels: Record<string, string> | undefined): boolean {
  return text === undefined || text === '' || matchesRequirements(parseLabelSelector(text), labels);
}

/** One term of a field selector: a field path compared with = / == / !=. */
export interface FieldRequirement { field: string; value: string; negate: boolean }

/** Parse "spec.nodeName=n1,status.phase!=Running". */
export function parseFieldSelector(text: string): FieldRequirement[] {
  return text.split(',').filter((t) => t.trim() !== '').map((term) => {
    const m = /^\s*([A-Za-z0-9_.]+)\s*(!=|==|=)\s*(.*?)\s*$/.exec(term);
    if (!m) throw new ApiError('BadRequest', `invalid field selector ${JSON.stringify(term)}: expected field=value or field!=value`);
    return { field: m[1]!, value: m[3]!, negate: m[2] === '!=' };
  });
}

/** Evaluate field requirements against the fields a kind exposes for selection. */
export function matchesFields(reqs: FieldRequirement[], fields: Record<string, string>): boolean {
  return reqs.every((r) => {
    const v = fields[r.field] ?? '';
    return r.negate ? v !== r.value : v === r.value;
  });
}
