/**
 * An error message made readable: the engine nests a failed child's serialized error as JSON
 * inside its parent's message (`run X failed: {"name":...,"message":"..."}`); this unwraps each
 * level to its message, so one line reads `run X failed: run Y failed: Order not found ...`.
 */
export function readableError(message: string): string {
  const brace = message.indexOf('{');
  if (brace < 0) return message;
  try {
    const inner = JSON.parse(message.slice(brace)) as { message?: unknown };
    if (typeof inner.message !== 'string') return message;
    return `${message.slice(0, brace)}${readableError(inner.message)}`;
  } catch {
    return message;
  }
}
