import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHandleList } from './handle-list.js';

describe('handle lists', () => {
  it('read one handle a line, with comments, blanks, @, profile URLs and repeats', () => {
    const list = parseHandleList(
      'vc',
      ['# name: Venture Capital', '', 'pmarca', '@paulg  # essays', 'https://twitter.com/naval', 'https://x.com/sama/', 'PMARCA', 'not a handle!', 'waytoolonghandle_123'].join('\n'),
    );
    expect(list.name).toBe('Venture Capital');
    expect(list.handles).toEqual(['pmarca', 'paulg', 'naval', 'sama']);
    expect(list.problems.map((p) => p.line)).toEqual([8, 9]);
  });

  it('hold only valid handles in every list the project ships', async () => {
    const dir = fileURLToPath(new URL('../../../../sources/', import.meta.url));
    const files = (await readdir(dir)).filter((f) => f.endsWith('.txt'));
    // The four editions of the original game are always there; operators may add more.
    expect(files).toEqual(expect.arrayContaining(['covid19.txt', 'democrats.txt', 'republicans.txt', 'vc.txt']));
    for (const file of files) {
      const list = parseHandleList(file.replace('.txt', ''), await readFile(dir + file, 'utf8'));
      expect(list.problems, file).toEqual([]);
      expect(list.handles.length, file).toBeGreaterThanOrEqual(10);
      expect(list.name, file).not.toBe(list.slug);
    }
  });
});
