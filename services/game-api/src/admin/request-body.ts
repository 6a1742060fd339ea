import { BadRequestException } from '@nestjs/common';
import { describeIssues } from '@ttt/contracts';
import type { z } from 'zod';

/** Deeper bodies are refused: nothing here nests so far, and BullMQ's JSON.stringify overflows the stack on a few thousand levels. */
export const MAX_BODY_DEPTH = 32;

/**
 * A request body checked against a zod schema; a 400 naming each bad field otherwise. Whatever
 * the schema, a body may not nest deeper than MAX_BODY_DEPTH nor hold a NUL character in any
 * text or key (Postgres stores neither in text nor jsonb): both are refused with a 400 too.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new BadRequestException(describeIssues(result.error.issues));
  const problem = unstorable(body);
  if (problem) throw new BadRequestException(problem);
  return result.data;
}

/** What makes a parsed JSON body unstorable, or null. Iterative: the body may be nested thousands deep. */
function unstorable(body: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    const where = path || 'body';
    if (typeof value === 'string' && value.includes('\u0000')) return `${where}: must not contain NUL (\\u0000) characters`;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return `${where}: nested deeper than ${MAX_BODY_DEPTH} levels`;
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return `${JSON.stringify(childPath)}: a key must not contain NUL (\\u0000) characters`;
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}
