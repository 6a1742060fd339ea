/** What a snapshot needs of a pg Pool or Client. */
export interface Queryable {
  query(sql: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** What a snapshot needs of an ioredis client. */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  llen(key: string): Promise<number>;
  zcard(key: string): Promise<number>;
  scard(key: string): Promise<number>;
}

/** Every table of the schema: its row count and an md5 of all its rows, so an insert, update or delete anywhere shows. */
export async function snapshotTables(db: Queryable, schema = 'public'): Promise<Record<string, { rows: number; md5: string }>> {
  const { rows: tables } = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`, [schema]);
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const { table_name: name } of tables) {
    const ident = `"${schema.replace(/"/g, '""')}"."${String(name).replace(/"/g, '""')}"`;
    const { rows } = await db.query(`SELECT count(*)::int AS n, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS md5 FROM ${ident} t`);
    out[String(name)] = { rows: rows[0]!.n as number, md5: rows[0]!.md5 as string };
  }
  return out;
}

/**
 * Each BullMQ queue's job counter (bumped by every add) and the size of each of its state
 * lists, read straight from its Redis keys.
 */
export async function snapshotQueues(redis: RedisLike, prefix: string, queues: readonly string[]): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const name of queues) {
    const k = (suffix: string) => `${prefix}:${name}:${suffix}`;
    out[name] = {
      added: Number((await redis.get(k('id'))) ?? 0),
      wait: await redis.llen(k('wait')),
      active: await redis.llen(k('active')),
      paused: await redis.llen(k('paused')),
      delayed: await redis.zcard(k('delayed')),
      prioritized: await redis.zcard(k('prioritized')),
      completed: await redis.zcard(k('completed')),
      failed: await redis.zcard(k('failed')),
    };
  }
  return out;
}

/** Takes snapshots until two in a row agree (background work of the setup has settled). */
export async function settledSnapshot<T>(take: () => Promise<T>, options: { intervalMs?: number; timeoutMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last = await take();
  for (;;) {
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 300));
    const next = await take();
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    if (Date.now() > deadline) throw new Error(`still changing after ${options.timeoutMs ?? 10_000} ms: ${JSON.stringify(last)} → ${JSON.stringify(next)}`);
    last = next;
  }
}

/** The entries that differ between two snapshots, as "key: before → after". */
export function snapshotDiff(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `${k}: ${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}`);
}
