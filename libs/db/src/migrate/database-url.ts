/** The database a connection URL names. */
export const databaseName = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/** The same server and credentials, another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** The server's maintenance database, from which databases are created and dropped. */
export const adminUrl = (url: string): string => withDatabase(url, 'postgres');
