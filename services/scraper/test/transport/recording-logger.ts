/** Keeps what the code under test logs, so tests can check a decision was logged (and stay quiet). */
export function recordingLogger() {
  const entries: Array<{ level: string; entry: Record<string, unknown> }> = [];
  const at = (level: string) => (entry: unknown) => void entries.push({ level, entry: entry as Record<string, unknown> });
  return {
    entries,
    messages: () => entries.map((e) => String(e.entry.msg)),
    log: at('log'),
    warn: at('warn'),
    debug: at('debug'),
  };
}
