/** One change of a plan, as the recipes' dry runs describe it. */
interface PlannedAction {
  action: string;
  target: string;
  detail?: string;
}

interface StructuredPlan {
  summary: string;
  actions: PlannedAction[];
  warnings?: string[];
}

function isStructured(plan: unknown): plan is StructuredPlan {
  const p = plan as Partial<StructuredPlan> | null;
  return typeof p?.summary === 'string' && Array.isArray(p.actions);
}

/** A dry run's plan as lines: the summary, numbered actions, warnings; other shapes as indented JSON. */
export function planLines(plan: unknown): string[] {
  if (!isStructured(plan)) return (JSON.stringify(plan, null, 2) ?? 'null').split('\n').map((l) => `  ${l}`);
  const lines = [plan.summary];
  if (plan.actions.length === 0) lines.push('  (nothing to do)');
  const width = String(plan.actions.length).length;
  for (const [i, { action, target, detail }] of plan.actions.entries())
    lines.push(`  ${String(i + 1).padStart(width)}. ${action} ${target}${detail ? `: ${detail}` : ''}`);
  for (const warning of plan.warnings ?? []) lines.push(`  warning: ${warning}`);
  return lines;
}
