import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { recipeFields } from '../input/recipe-fields.js';
import { writeLine } from '../output/io.js';

/** `fornex-flow recipes`: each recipe with its description and input fields. */
export async function recipesCommand(ctx: CommandContext): Promise<number> {
  const recipes = await ctx.recipes();
  const out = (line: string) => writeLine(ctx.io.stdout, line);
  if (ctx.flags.json) {
    for (const { recipe, plan } of recipes) {
      out(
        JSON.stringify({
          id: recipe.id,
          version: recipe.version,
          description: recipe.description ?? null,
          dryRun: Boolean(plan),
          fields: recipeFields(recipe.input),
        }),
      );
    }
    return ExitCode.Done;
  }
  if (recipes.length === 0) {
    out('no recipes installed');
    return ExitCode.Done;
  }
  for (const [i, { recipe, plan }] of recipes.entries()) {
    if (i > 0) out('');
    out(`${recipe.id} (v${recipe.version})${plan ? '' : '  [no --dry-run]'}`);
    if (recipe.description) out(`  ${recipe.description}`);
    const fields = recipeFields(recipe.input);
    const width = Math.max(0, ...fields.map((f) => f.name.length));
    const typeWidth = Math.max(0, ...fields.map((f) => f.type.length));
    for (const field of fields) {
      const notes = [
        field.required ? 'required' : 'optional',
        ...(field.default !== undefined ? [`default ${JSON.stringify(field.default)}`] : []),
      ].join(', ');
      const description = field.description ? `  ${field.description}` : '';
      out(`  --set ${field.name.padEnd(width)}  ${field.type.padEnd(typeWidth)}  (${notes})${description}`);
    }
  }
  return ExitCode.Done;
}
