/** {{param}} and {{steps.NAME.output}} substitution in a step's command, args and env. */

/** Replace each {{key}} (spaces allowed inside the braces) whose key is in vars; others stay as written. */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, key: string) => vars.get(key) ?? whole);
}

/** The variables a step sees: param (fan-out) and the outputs of finished steps. */
export function stepVars(param: string | undefined, outputs: ReadonlyMap<string, string>): Map<string, string> {
  const vars = new Map<string, string>();
  if (param !== undefined) vars.set('param', param);
  for (const [step, out] of outputs) vars.set(`steps.${step}.output`, out);
  return vars;
}
