// What `npm run up` shows: one line per step with its state and time, a bar for work whose
// size is known, and, when a step cannot go on, what is missing and how to get it.
const tty = process.stdout.isTTY === true;
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

export class StepFailed extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
}

/** Runs one step: `work(step)` returns a short result ("skipped: …" counts as done). */
export async function step(title, work) {
  const t0 = Date.now();
  let lastBar = 0;
  const handle = {
    /** A progress bar on a terminal; a line every 10 s elsewhere (logs, CI). */
    progress(done, total, detail = '') {
      const share = total > 0 ? Math.min(1, done / total) : 0;
      const width = 24;
      const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
      const text = `  ${bar} ${Math.round(share * 100)}% ${detail}`;
      if (tty) process.stdout.write(`\r\x1b[2K${text}`);
      else if (Date.now() - lastBar >= 10_000) {
        lastBar = Date.now();
        console.log(text);
      }
    },
    log(line) {
      if (tty) process.stdout.write('\r\x1b[2K');
      console.log(`  ${line}`);
    },
  };
  console.log(`▸ ${title}`);
  try {
    const result = await work(handle);
    if (tty) process.stdout.write('\r\x1b[2K');
    console.log(`  ✓ ${result ?? 'done'} (${seconds(Date.now() - t0)})`);
    return result;
  } catch (error) {
    if (tty) process.stdout.write('\r\x1b[2K');
    console.log(`  ✗ ${error.message}`);
    if (error.hint) console.log(`\n  What to do: ${error.hint.replaceAll('\n', '\n    ')}`);
    throw error;
  }
}

export function elapsed() {
  return seconds(Date.now() - started);
}
