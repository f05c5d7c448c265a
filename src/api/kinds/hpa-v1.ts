/**
 * autoscaling/v1 HorizontalPodAutoscaler, converted to and from the stored autoscaling/v2 form (the
 * v1 shape: one targetCPUUtilizationPercentage for v2's cpu Resource metric). kubectl 1.32's
 * `autoscale` writes v1. Kubernetes keeps v2-only fields in annotations across a v1 round trip;
 * here an update through v1 changes only what v1 can say and keeps the stored v2 rest (behavior,
 * other metrics, conditions).
 */
import type { HorizontalPodAutoscaler } from '../schema/hpa.js';
import type { ObjectMeta } from '../schema/meta.js';
import { ApiError, type FieldCause } from '../errors.js';

/** The v1 object as clients send and read it. */
export interface HorizontalPodAutoscalerV1 {
  apiVersion: 'autoscaling/v1';
  kind: 'HorizontalPodAutoscaler';
  metadata: ObjectMeta;
  spec: { scaleTargetRef: { kind: string; name: string; apiVersion?: string }; minReplicas?: number; maxReplicas: number; targetCPUUtilizationPercentage?: number };
  status?: { observedGeneration?: number; lastScaleTime?: string; currentReplicas?: number; desiredReplicas: number; currentCPUUtilizationPercentage?: number };
}

/** Kubernetes' default target when v1 names none ("the default autoscaling policy": 80% CPU). */
const defaultCpuPercent = 80;
const specFields = new Set(['scaleTargetRef', 'minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Check a v1 body's shape (field paths in the causes); the v2 rules check the rest after conversion. */
export function checkV1(body: unknown): HorizontalPodAutoscalerV1 {
  const causes: FieldCause[] = [];
  const o = isRecord(body) ? body : {};
  if (o.apiVersion !== undefined && o.apiVersion !== 'autoscaling/v1') causes.push({ field: 'apiVersion', message: `expected autoscaling/v1, got ${JSON.stringify(o.apiVersion)}` });
  if (o.kind !== undefined && o.kind !== 'HorizontalPodAutoscaler') causes.push({ field: 'kind', message: `expected HorizontalPodAutoscaler, got ${JSON.stringify(o.kind)}` });
  if (!isRecord(o.metadata)) causes.push({ field: 'metadata', message: 'required: an object' });
  const spec = o.spec;
  if (!isRecord(spec)) causes.push({ field: 'spec', message: 'required: an object' });
  else {
    for (const k of Object.keys(spec)) if (!specFields.has(k)) causes.push({ field: `spec.${k}`, message: 'unknown field in autoscaling/v1 (use autoscaling/v2 for metrics and behavior)' });
    const ref = spec.scaleTargetRef;
    if (!isRecord(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') causes.push({ field: 'spec.scaleTargetRef', message: 'required: {kind, name}' });
    for (const f of ['minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage'] as const) {
      const v = spec[f];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < (f === 'minReplicas' ? 0 : 1))) causes.push({ field: `spec.${f}`, message: `expected an integer >= ${f === 'minReplicas' ? 0 : 1}` });
    }
    if (spec.maxReplicas === undefined) causes.push({ field: 'spec.maxReplicas', message: 'required' });
  }
  if (causes.length > 0) throw new ApiError('Invalid', `HorizontalPodAutoscaler.autoscaling "${isRecord(o.metadata) ? String(o.metadata.name ?? '') : ''}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`, { causes });
  return o as unknown as HorizontalPodAutoscalerV1;
}

/** The stored v2 object for a v1 one; BASE (the stored object, on an update) keeps what v1 cannot say. */
export function toV2(v1: HorizontalPodAutoscalerV1, base?: HorizontalPodAutoscaler): HorizontalPodAutoscaler {
  const cpu = v1.spec.targetCPUUtilizationPercentage ?? defaultCpuPercent;
  const others = (base?.spec.metrics ?? []).filter((m) => m.resource.name !== 'cpu');
  const out: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: v1.metadata,
    spec: {
      ...(base?.spec ?? {}),
      scaleTargetRef: v1.spec.scaleTargetRef, maxReplicas: v1.spec.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }, ...others],
    },
  };
  if (v1.spec.minReplicas !== undefined) out.spec.minReplicas = v1.spec.minReplicas; else delete out.spec.minReplicas;
  if (base?.status !== undefined) out.status = base.status;
  return out;
}

/** The v1 view of a stored v2 object. */
export function fromV2(h: HorizontalPodAutoscaler): HorizontalPodAutoscalerV1 {
  const target = h.spec.metrics?.find((m) => m.resource.name === 'cpu')?.resource.target.averageUtilization;
  const out: HorizontalPodAutoscalerV1 = {
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: h.metadata,
    spec: { scaleTargetRef: h.spec.scaleTargetRef, maxReplicas: h.spec.maxReplicas },
  };
  if (h.spec.minReplicas !== undefined) out.spec.minReplicas = h.spec.minReplicas;
  if (target !== undefined) out.spec.targetCPUUtilizationPercentage = target;
  const s = h.status;
  if (s !== undefined) {
    const current = s.currentMetrics?.find((m) => m.resource.name === 'cpu')?.resource.current.averageUtilization;
    out.status = { desiredReplicas: s.desiredReplicas };
    if (s.observedGeneration !== undefined) out.status.observedGeneration = s.observedGeneration;
    if (s.lastScaleTime !== undefined) out.status.lastScaleTime = s.lastScaleTime;
    if (s.currentReplicas !== undefined) out.status.currentReplicas = s.currentReplicas;
    if (current !== undefined) out.status.currentCPUUtilizationPercentage = current;
  }
  return out;
}
