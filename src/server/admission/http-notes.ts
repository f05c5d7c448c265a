/** Admission notes of one HTTP request: Warning headers on its answer, annotations on its audit event. */
import type { ServerResponse } from 'node:http';
import type { AdmissionNotes } from './context.js';

/** Kubernetes' Warning header value (warn-code 299, the text quoted). */
const warning = (text: string): string => `299 - ${JSON.stringify(text)}`;

/** The notes of the request answered on RES, annotating AUDIT when there is one. */
export function httpNotes(res: ServerResponse, audit?: { annotate(key: string, value: string): void }): AdmissionNotes {
  return {
    warn(text) {
      if (res.headersSent) return;
      const prev = res.getHeader('warning');
      const list = Array.isArray(prev) ? prev : typeof prev === 'string' ? [prev] : [];
      res.setHeader('warning', [...list, warning(text)]);
    },
    annotate(key, value) { audit?.annotate(key, value); },
  };
}
