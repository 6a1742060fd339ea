/** The admin API keys from the config (possibly none), as AdminKeys. */
export const ADMIN_KEYS = Symbol('ADMIN_KEYS');
/** Every queue of QueueName, by name (Map<QueueName, Queue>). */
export const ADMIN_QUEUES = Symbol('ADMIN_QUEUES');
