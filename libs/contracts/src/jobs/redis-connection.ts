import type { ConnectionOptions } from 'bullmq';

/** BullMQ connection options from a redis:// or rediss:// URL. */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // Workers block on Redis; BullMQ requires this to be null so a slow reply is not an error.
    maxRetriesPerRequest: null,
  };
}
