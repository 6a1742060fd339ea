import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import { describeIssues } from '@ttt/contracts';
import type { z } from 'zod';

/** A request body checked against a zod schema; a 400 naming each bad field otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new BadRequestException(describeIssues(result.error.issues));
  return result.data;
}

const TEXT_LIMIT = 1024 * 1024;

/** The raw body of a text/plain request (Nest parses only JSON and forms), at most 1 MiB. */
export async function readTextBody(request: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > TEXT_LIMIT) throw new HttpException({ statusCode: 413, message: 'the handle list is larger than 1 MiB' }, HttpStatus.PAYLOAD_TOO_LARGE);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
