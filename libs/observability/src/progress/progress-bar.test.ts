import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';

function sink(tty: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = tty;
  let written = '';
  stream.on('data', (d) => (written += d));
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => written };
}

describe('progress bar', () => {
  it('redraws one line on a terminal, showing the fraction done', () => {
    const out = sink(true);
    const bar = new ProgressBar({ label: 'import', stream: out.stream });
    bar.update(0.25, '25 lines');
    bar.done('100 lines');
    expect(out.written()).toBe(
      `\r\x1b[2Kimport [#######---------------------]  25% 25 lines\r\x1b[2Kimport [############################] 100% 100 lines\n`,
    );
  });

  it('writes plain lines, at most one per interval, when not on a terminal', async () => {
    const out = sink(false);
    const bar = new ProgressBar({ label: 'import', stream: out.stream, logEveryMs: 50 });
    bar.update(0.1, 'a');
    bar.update(0.2, 'b'); // within the interval: not written
    await new Promise((r) => setTimeout(r, 60));
    bar.update(null, '30 lines');
    expect(out.written().split('\n').filter(Boolean)).toEqual(['import [###-------------------------]  10% a', 'import 30 lines']);
  });

  it('writes notes as lines of their own above the bar', () => {
    const out = sink(true);
    const bar = new ProgressBar({ label: 'train', stream: out.stream });
    bar.update(0.5, 'step 5');
    bar.note('step 5: val loss 4.2');
    bar.update(0.6, 'step 6');
    expect(out.written()).toBe(
      `\r\x1b[2Ktrain [##############--------------]  50% step 5\r\x1b[2Kstep 5: val loss 4.2\n\r\x1b[2Ktrain [#################-----------]  60% step 6`,
    );
  });
});
