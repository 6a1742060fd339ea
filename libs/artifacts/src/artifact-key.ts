/** Keys are relative slash paths of plain segments: nothing that can climb out of the store. */
export function checkArtifactKey(key: string): string {
  const segments = key.split('/').filter((s) => s.length > 0);
  if (segments.length === 0 || segments.some((s) => s === '.' || s === '..' || !/^[A-Za-z0-9._@-]+$/.test(s))) {
    throw new Error(`"${key}" is not a valid artifact key (slash-separated names of letters, digits, . _ @ -)`);
  }
  return segments.join('/');
}
