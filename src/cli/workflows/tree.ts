/** `lcctl workflow get`: a Workflow's DAG as a tree of steps with state and duration. */
import type { StepPhase, Workflow, WorkflowStepStatus } from '../../api/schema/workflow.js';
import { took } from '../../api/printers/workflow.js';
import { paint } from '../output/color.js';

/** How to draw: symbols and box lines on a terminal, words and ASCII otherwise; colour only on a TTY. */
export interface TreeStyle { symbols: boolean; color: boolean }

const symbol: Record<StepPhase, string> = { Succeeded: '✔', Failed: '✖', Running: '●', Pending: '○', Skipped: '⊘' };
const colorOf: Record<string, 'green' | 'red' | 'yellow' | 'dim' | undefined> = { Succeeded: 'green', Failed: 'red', Running: 'yellow', Skipped: 'dim' };

/** Steps in dependency order (spec order among the ready), so each step comes after what it needs. */
function ordered(wf: Workflow): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  const steps = wf.spec.steps;
  while (out.length < steps.length) {
    const next = steps.find((s) => !done.has(s.name) && (s.dependsOn ?? []).every((d) => done.has(d)));
    if (!next) { for (const s of steps) if (!done.has(s.name)) out.push(s.name); break; }
    out.push(next.name);
    done.add(next.name);
  }
  return out;
}

/** The tree text, one line per step (and per fan-out Job), ending with "\n". */
export function renderWorkflowTree(wf: Workflow, now: number, style: TreeStyle): string {
  const st = new Map((wf.status?.steps ?? []).map((s) => [s.name, s]));
  const [tee, elbow, pipe] = style.symbols ? ['├─ ', '└─ ', '│  '] : ['|- ', '`- ', '|  '];
  const rows: { prefix: string; label: string; phase: string; dur: string; note: string }[] = [];
  const names = ordered(wf);
  names.forEach((n, i) => {
    const step = wf.spec.steps.find((s) => s.name === n)!;
    const s: WorkflowStepStatus = st.get(n) ?? { name: n, phase: 'Pending' };
    const last = i === names.length - 1;
    const params = step.withParams ? ` [${step.withParams.length} params]` : '';
    const notes = [
      step.dependsOn?.length ? `after ${step.dependsOn.join(', ')}` : '',
      (s.attempts ?? 0) > 1 ? `attempt ${s.attempts}` : '',
      step.runPolicy === 'Always' ? 'always' : '',
      s.phase === 'Failed' || s.phase === 'Skipped' ? s.message ?? '' : '',
    ].filter((x) => x !== '');
    rows.push({ prefix: last ? elbow : tee, label: `${style.symbols ? `${symbol[s.phase]} ` : ''}${n}${params}`, phase: s.phase, dur: took(s.startedAt, s.finishedAt, now), note: notes.join('; ') });
    if (step.withParams) {
      const jobs = s.jobs ?? [];
      step.withParams.forEach((p, j) => {
        const jp: StepPhase = jobs[j]?.phase ?? (s.phase === 'Skipped' ? 'Skipped' : 'Pending');
        const inner = j === step.withParams!.length - 1 ? elbow : tee;
        rows.push({ prefix: `${last ? '   ' : pipe}${inner}`, label: `${style.symbols ? `${symbol[jp]} ` : ''}${n}(${p})`, phase: jp, dur: '', note: jobs[j]?.name ?? '' });
      });
    }
  });
  const w = wf.status?.phase ?? 'Pending';
  const labelWidth = Math.max(...rows.map((r) => r.prefix.length + r.label.length)) + 2;
  const phaseWidth = Math.max(...rows.map((r) => r.phase.length)) + 2;
  const head = `workflow ${wf.metadata.name}  ${paint(style.color && colorOf[w] !== undefined, colorOf[w] ?? 'bold', w)}  ${took(wf.status?.startedAt, wf.status?.finishedAt, now)}`.trimEnd();
  const lines = rows.map((r) => {
    const c = colorOf[r.phase];
    const phase = paint(style.color && c !== undefined, c ?? 'bold', r.phase.padEnd(phaseWidth));
    return `${r.prefix}${r.label.padEnd(labelWidth - r.prefix.length)}${phase}${r.dur.padEnd(8)}${r.note}`.trimEnd();
  });
  const out = wf.status?.message && w === 'Failed' ? [`message: ${wf.status.message}`] : [];
  return [head, ...lines, ...out].join('\n') + '\n';
}
