/** A run key names a folder under the work dir: plain characters only, never a path. */
export function runKeyOf(key: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(key)) {
    throw new Error(`"${key}" is not a valid run key (letters, digits, . _ -, starting with a letter or digit)`);
  }
  return key;
}
