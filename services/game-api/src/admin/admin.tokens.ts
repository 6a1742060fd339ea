/** The admin API keys from the config (possibly none). */
export const ADMIN_API_KEYS = Symbol('ADMIN_API_KEYS');
/** Every queue of QueueName, by name (Map<QueueName, Queue>). */
export const ADMIN_QUEUES = Symbol('ADMIN_QUEUES');
