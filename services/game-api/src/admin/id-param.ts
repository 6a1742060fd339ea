import { NotFoundException } from '@nestjs/common';

/** A path id as a database id; anything that cannot be one is simply not found. */
export function idParam(raw: string, what: string): number {
  const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new NotFoundException(`${what} ${raw} does not exist`);
  return id;
}
