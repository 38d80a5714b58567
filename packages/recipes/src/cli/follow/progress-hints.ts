/**
 * How the CLI draws a bar for a recipe that fans out inside its own steps (rather than through
 * child runs, which get a bar by themselves): which step's output gives the total, which step's
 * outputs count as done. A recipe module may export `recipeProgress` in this shape for its own
 * recipes; the shipped ones are below.
 */
export interface ProgressHint {
  /** What is counted, e.g. `orders`. */
  label: string;
  /** The step whose output tells how many there are. */
  totalStep: string;
  total: (output: unknown) => number | undefined;
  /** The step (visited once per batch) whose outputs add up to how many are done. */
  doneStep: string;
  done: (output: unknown) => number | undefined;
}

const arrayLength = (value: unknown) => (Array.isArray(value) ? value.length : undefined);

/** Bars of the recipes this package ships. */
export const shippedProgressHints: Readonly<Record<string, ProgressHint>> = {
  'rotate-ssh-keys': {
    label: 'orders',
    totalStep: 'inspect',
    total: (output) => arrayLength((output as { targets?: unknown } | null)?.targets),
    doneStep: 'rotateBatch',
    done: arrayLength,
  },
};
