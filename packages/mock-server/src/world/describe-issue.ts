import type { z } from 'zod';

/** One schema problem as the admin API and `--seed` report it: `tenants.0.id: message` (`(root)` for the whole value). */
export function describeIssue(issue: z.ZodError['issues'][number]): string {
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
