export interface ProgressBarOptions {
  label: string;
  stream?: NodeJS.WriteStream;
  /** How often a non-terminal (a CI log, a pipe) gets a line. */
  logEveryMs?: number;
}

const WIDTH = 28;

/**
 * A progress bar on a terminal; on anything else, a progress line every few seconds, so
 * logs stay readable instead of filling with carriage returns.
 */
export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private lastLine = 0;
  private lastDraw = 0;

  constructor(private readonly options: ProgressBarOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
  }

  /** `fraction` in [0, 1] when the total is known, null when it is not. */
  update(fraction: number | null, detail: string): void {
    const now = Date.now();
    if (this.tty) {
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.stream.write(`\r\x1b[2K${this.render(fraction, detail)}`);
    } else if (now - this.lastLine >= (this.options.logEveryMs ?? 5000)) {
      this.lastLine = now;
      this.stream.write(`${this.render(fraction, detail)}\n`);
    }
  }

  /** A line that stays (an evaluation result, a warning), written above the bar. */
  note(line: string): void {
    this.stream.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    this.lastDraw = 0;
  }

  done(detail: string): void {
    const line = this.render(1, detail);
    this.stream.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  private render(fraction: number | null, detail: string): string {
    if (fraction === null) return `${this.options.label} ${detail}`;
    const f = Math.min(1, Math.max(0, fraction));
    const filled = Math.round(f * WIDTH);
    return `${this.options.label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${detail}`;
  }
}
