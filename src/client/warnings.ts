/** RFC 7234 Warning headers as kube-apiserver sends them (`299 - "text"`), read from a response. */
import type http from 'node:http';

const WARNING = /(\d{3}) (\S+) "((?:[^"\\]|\\.)*)"(?: "[^"]*")?/g;

/** The texts of the code-299 warnings in a response's headers (several may share one joined header). */
export function responseWarnings(headers: http.IncomingHttpHeaders): string[] {
  const raw = headers.warning;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out: string[] = [];
  for (const v of values) {
    for (const m of v.matchAll(WARNING)) {
      // Only 299 (miscellaneous persistent warning) carries admission's text; client-go ignores the rest too.
      if (m[1] === '299') out.push((m[3] ?? '').replace(/\\(.)/g, '$1'));
    }
  }
  return out;
}
