// SQLSTATE classes and codes that mean "Postgres cannot answer now", not "the query is wrong":
// connection exceptions (08…), shutdowns and restarts (57P01–57P03), a missing database, too
// many connections; and the socket errors of a server that is down or unreachable.
const SQLSTATES = /^(08...|57P0[123]|3D000|53300)$/;
const SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']);
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

/** Whether a failure is Postgres being unreachable (answer 503 and let the client retry). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SQLSTATES.test(code) || SOCKET.has(code))) return true;
  const nested = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(nested) && nested.some(isDatabaseUnavailable)) return true;
  return MESSAGES.test(error.message);
}
