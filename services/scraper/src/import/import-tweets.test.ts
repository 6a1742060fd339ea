import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportFixture, importFixture } from '../../test/import-fixture.js';
import { referenceData } from '../../test/reference-data.js';
import { importTweets, UnknownCategoryError } from './import-tweets.js';

const seed = (name: string) => join(referenceData(), 'seed-tweets', `${name}.jsonl.gz`);

/** The exact ids a file holds, read independently of the importer: the number ending `link`. */
async function linkIds(file: string): Promise<{ lines: number; ids: Set<string> }> {
  const ids = new Set<string>();
  let lines = 0;
  const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()) });
  for await (const line of rl) {
    lines++;
    ids.add(/"link":\s*"[^"]*\/status\/(\d+)"/.exec(line)![1]);
  }
  return { lines, ids };
}

async function firstLines(file: string, n: number): Promise<string[]> {
  const out: string[] = [];
  const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()) });
  for await (const line of rl) {
    out.push(line);
    if (out.length === n) break;
  }
  rl.close();
  return out;
}

async function gzipTo(file: string, text: string): Promise<void> {
  const gz = createGzip();
  const done = pipeline(gz, createWriteStream(file));
  gz.end(text);
  await done;
}

describe('import of twint JSON', () => {
  let f: ImportFixture;
  let dir: string;
  beforeAll(async () => {
    f = await importFixture();
    dir = await mkdtemp(join(tmpdir(), 'twint-'));
  });
  afterAll(async () => {
    await f.close();
  });

  it('stores every reference file with exact ids: one row per distinct tweet, none lost, none merged', async () => {
    const expected: Record<string, number> = { vc: 48_844, republicans: 55_215, democrats: 40_288, covid19: 12_975 };
    for (const category of Object.keys(expected)) {
      const { lines, ids } = await linkIds(seed(category));
      const summary = await importTweets(f.repo, { category, from: seed(category) });
      expect(summary.read).toBe(lines);
      expect(summary.rejected).toEqual({});
      expect(summary.inserted).toBe(ids.size);
      expect(summary.inserted).toBe(expected[category]);
      // Lines beyond the distinct tweets are the same tweet scraped twice (counts differ).
      expect(summary.alreadyPresent).toBe(lines - ids.size);
      const stored = await f.pool.query<{ platform_id: string }>(
        'SELECT t.platform_id FROM tweets t JOIN tweet_categories tc ON tc.tweet_id = t.id JOIN categories c ON c.id = tc.category_id WHERE c.slug = $1',
        [category],
      );
      expect(new Set(stored.rows.map((r) => r.platform_id))).toEqual(ids);
    }
    expect(await f.count('SELECT count(*) AS n FROM tweets')).toBe(157_322);
    // JSON.parse would have rounded this id to ...800.
    expect(await f.count(`SELECT count(*) AS n FROM tweets WHERE platform_id = '1267196520354295808'`)).toBe(1);
    expect(await f.count(`SELECT count(*) AS n FROM tweets WHERE platform_id = '1267196520354295800'`)).toBe(0);
    // The raw record is the line as written (twint had already rounded its "id" number).
    const raw = await f.pool.query<{ raw: string; utc: string }>(
      `SELECT raw::text AS raw, to_char(tweeted_at, 'YYYY-MM-DD HH24:MI:SS') AS utc FROM tweets WHERE platform_id = '1267196520354295808'`,
    );
    expect(raw.rows[0].raw).toMatch(/^\{"id":1267196520354295800,/);
    // created_at 1590958168000 ms, in UTC, though this database's zone is Asia/Kolkata.
    expect(raw.rows[0].utc).toBe('2020-05-31 20:49:28');
  });

  it('adds nothing when run again', async () => {
    const before = await f.count('SELECT count(*) AS n FROM tweets');
    const again = await importTweets(f.repo, { category: 'covid19', from: seed('covid19') });
    expect(again).toMatchObject({ read: 12_975, inserted: 0, linkedToCategory: 0, alreadyPresent: 12_975 });
    expect(await f.count('SELECT count(*) AS n FROM tweets')).toBe(before);
  });

  it('stores a tweet once and links it to each category whose list holds it', async () => {
    const before = await f.count('SELECT count(*) AS n FROM tweets');
    const summary = await importTweets(f.repo, { category: 'vc', from: seed('covid19') });
    expect(summary).toMatchObject({ inserted: 0, linkedToCategory: 12_975, alreadyPresent: 0 });
    expect(await f.count('SELECT count(*) AS n FROM tweets')).toBe(before);
    expect(await f.count(`SELECT count(*) AS n FROM (SELECT tweet_id FROM tweet_categories GROUP BY tweet_id HAVING count(*) = 2) s`)).toBe(12_975);
  });
});

describe('import sources', () => {
  let f: ImportFixture;
  let dir: string;
  let sample: string[];
  beforeAll(async () => {
    f = await importFixture();
    dir = await mkdtemp(join(tmpdir(), 'twint-'));
    sample = await firstLines(seed('vc'), 300);
  });
  afterAll(async () => {
    await f.close();
  });

  it('reads plain and gzipped files alike (gzip told by its bytes, not its name)', async () => {
    await writeFile(join(dir, 'plain.jsonl'), `${sample.slice(0, 100).join('\n')}\n`);
    await gzipTo(join(dir, 'zipped.json'), `${sample.slice(100, 200).join('\n')}\n`);
    const plain = await importTweets(f.repo, { category: 'vc', from: join(dir, 'plain.jsonl') });
    const zipped = await importTweets(f.repo, { category: 'vc', from: join(dir, 'zipped.json') });
    expect(plain).toMatchObject({ read: 100, inserted: 100 });
    expect(zipped).toMatchObject({ read: 100, inserted: 100 });
  });

  it('reads every JSON-lines file of a folder, nested and linked ones too, and skips other files', async () => {
    const folder = join(dir, 'folder');
    await mkdir(join(folder, 'nested'), { recursive: true });
    await writeFile(join(folder, 'a.jsonl'), sample.slice(200, 250).join('\n'));
    await gzipTo(join(folder, 'nested', 'b.jsonl.gz'), sample.slice(250, 300).join('\n'));
    await writeFile(join(folder, 'README.md'), '# not tweets\n');
    await symlink(seed('covid19'), join(folder, 'linked.jsonl.gz'));
    const summary = await importTweets(f.repo, { category: 'democrats', from: folder });
    expect(summary).toMatchObject({ read: 100 + 12_975, inserted: 100 + 12_975, rejected: {} });
  });

  it('streams a URL served over HTTP', async () => {
    const server: Server = createServer((req, res) => {
      if (req.url !== '/covid19.jsonl.gz') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/gzip' });
      createReadStream(seed('covid19')).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const summary = await importTweets(f.repo, { category: 'covid19', from: `http://127.0.0.1:${port}/covid19.jsonl.gz` });
      expect(summary).toMatchObject({ read: 12_975, rejected: {} });
      // The folder test stored these tweets under another category already.
      expect(summary.inserted + summary.linkedToCategory).toBe(12_975);
      expect(
        await f.count(`SELECT count(*) AS n FROM tweet_categories tc JOIN categories c ON c.id = tc.category_id WHERE c.slug = 'covid19'`),
      ).toBe(12_975);
      await expect(importTweets(f.repo, { category: 'covid19', from: `http://127.0.0.1:${port}/missing.gz` })).rejects.toThrow(
        /answered 404/,
      );
    } finally {
      server.close();
    }
  });

  it('keeps two tweets apart whose ids JSON.parse would round to the same number', async () => {
    // 1367196520354295808 and ...809 are the same double; with and without a link.
    const lines = [
      JSON.stringify({ ...JSON.parse(sample[0]), link: 'https://twitter.com/a/status/1367196520354295808' }),
      JSON.stringify({ ...JSON.parse(sample[0]), link: 'https://twitter.com/a/status/1367196520354295809' }),
      sample[1].replace(/^\{"id":\d+,/, '{"id":1167196520354295808,').replace(/"link":"[^"]*",/, ''),
      sample[1].replace(/^\{"id":\d+,/, '{"id":1167196520354295809,').replace(/"link":"[^"]*",/, ''),
    ];
    // Digits exactly as a double prints them may be a rounded id: refused, never guessed.
    lines.push(sample[1].replace(/^\{"id":\d+,/, '{"id":1167196520354295800,').replace(/"link":"[^"]*",/, ''));
    await writeFile(join(dir, 'close-ids.jsonl'), lines.join('\n'));
    const summary = await importTweets(f.repo, { category: 'republicans', from: join(dir, 'close-ids.jsonl') });
    expect(summary).toMatchObject({ read: 5, inserted: 4, rejected: { inexact_id: 1 } });
    expect(summary.rejections[0]).toMatchObject({ line: 5 });
    const ids = await f.pool.query<{ platform_id: string }>(
      `SELECT platform_id FROM tweets WHERE platform_id = ANY($1) ORDER BY 1`,
      [['1167196520354295808', '1167196520354295809', '1367196520354295808', '1367196520354295809']],
    );
    expect(ids.rows.map((r) => r.platform_id)).toEqual([
      '1167196520354295808',
      '1167196520354295809',
      '1367196520354295808',
      '1367196520354295809',
    ]);
  });

  it('counts and lists malformed lines by line number, stores the good ones, and nothing of the bad', async () => {
    const good = JSON.parse(sample[2]) as Record<string, unknown>;
    const lines = [
      sample[2], // 1 good
      '{"id": 1, "tweet": "broken', // 2 invalid JSON
      JSON.stringify({ ...good, link: 'https://twitter.com/x/status/9000000000000000001', tweet: '' }), // 3 missing text
      JSON.stringify({ ...good, link: 'https://twitter.com/x/status/9000000000000000002', created_at: 'yesterday', date: '' }), // 4 bad date
      '', // 5 blank: not a record
      JSON.stringify({ ...good, link: '', id: 'abc', conversation_id: '' }), // 6 no exact id
      '[1, 2, 3]', // 7 not an object
      JSON.stringify({ ...good, link: 'https://twitter.com/x/status/9000000000000000003' }), // 8 good
    ];
    await writeFile(join(dir, 'malformed.jsonl'), lines.join('\n'));
    const summary = await importTweets(f.repo, { category: 'vc', from: join(dir, 'malformed.jsonl') });
    expect(summary.read).toBe(7);
    expect(summary.rejected).toEqual({ invalid_json: 1, missing_text: 1, bad_date: 1, missing_id: 1, not_an_object: 1 });
    expect(summary.rejections.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [2, 'invalid_json'],
      [3, 'missing_text'],
      [4, 'bad_date'],
      [6, 'missing_id'],
      [7, 'not_an_object'],
    ]);
    expect(summary.rejections.every((r) => r.source === join(dir, 'malformed.jsonl'))).toBe(true);
    expect(await f.count(`SELECT count(*) AS n FROM tweets WHERE platform_id LIKE '900000000000000000%'`)).toBe(1);
  });

  it('reports a row the database refuses with its line, keeps the rest of its batch, and half-writes nothing', async () => {
    // A trigger stands in for any refusal the database may raise in the middle of a batch,
    // after some of its tweets went in.
    await f.pool.query(`
      CREATE FUNCTION refuse_tweet() RETURNS trigger AS $$
      BEGIN
        IF NEW.author_handle = 'refused_author' THEN RAISE EXCEPTION 'tweet refused'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_tweet BEFORE INSERT ON tweets FOR EACH ROW EXECUTE FUNCTION refuse_tweet();`);
    const good = JSON.parse(sample[3]) as Record<string, unknown>;
    const lines = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({ ...good, username: i === 7 ? 'refused_author' : 'fine_author', link: `https://twitter.com/x/status/880000000000000000${i}` }),
    );
    const file = join(dir, 'refused.jsonl');
    await writeFile(file, lines.join('\n'));
    try {
      const summary = await importTweets(f.repo, { category: 'vc', from: file, batchSize: 5 });
      expect(summary).toMatchObject({ read: 10, inserted: 9, rejected: { db_rejected: 1 } });
      expect(summary.rejections).toEqual([{ source: file, line: 8, reason: expect.stringMatching(/^db_rejected: .*tweet refused/) }]);
      expect(await f.count(`SELECT count(*) AS n FROM tweets WHERE platform_id LIKE '88000000000000000%'`)).toBe(9);
      expect(await f.count(`SELECT count(*) AS n FROM tweets WHERE author_handle = 'refused_author'`)).toBe(0);
      // Every stored tweet has its category link: nothing half-written.
      expect(
        await f.count(
          `SELECT count(*) AS n FROM tweets t WHERE platform_id LIKE '88000000000000000%' AND NOT EXISTS (SELECT 1 FROM tweet_categories tc WHERE tc.tweet_id = t.id)`,
        ),
      ).toBe(0);
    } finally {
      await f.pool.query('DROP TRIGGER refuse_tweet ON tweets; DROP FUNCTION refuse_tweet()');
    }
  });

  it('stores text with NUL characters and escaped NULs, which Postgres text cannot hold as such', async () => {
    const good = JSON.parse(sample[4]) as Record<string, unknown>;
    const lines = [
      JSON.stringify({ ...good, link: 'https://twitter.com/x/status/8100000000000000001', tweet: 'a\u0000b', name: 'N\u0000ame' }),
      JSON.stringify({ ...good, link: 'https://twitter.com/x/status/8100000000000000002', tweet: 'the text \\u0000 as written' }),
    ];
    await writeFile(join(dir, 'nul.jsonl'), lines.join('\n'));
    const summary = await importTweets(f.repo, { category: 'vc', from: join(dir, 'nul.jsonl') });
    expect(summary).toMatchObject({ read: 2, inserted: 2, rejected: {} });
    const rows = await f.pool.query<{ text: string; author_name: string }>(
      `SELECT text, author_name FROM tweets WHERE platform_id LIKE '810000000000000000%' ORDER BY platform_id`,
    );
    expect(rows.rows).toEqual([
      { text: 'ab', author_name: 'Name' },
      { text: 'the text \\u0000 as written', author_name: good.name },
    ]);
  });

  it('keeps the first line of a tweet listed twice, even when a later batch would commit first', async () => {
    // The first batch holds a row that makes it sleep before it reaches the repeated tweet
    // (rows go in by id order), so the second batch would write its copy first.
    await f.pool.query(`
      CREATE FUNCTION slow_tweet() RETURNS trigger AS $$
      BEGIN
        IF NEW.author_handle = 'slow_author' THEN PERFORM pg_sleep(0.5); END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER slow_tweet BEFORE INSERT ON tweets FOR EACH ROW EXECUTE FUNCTION slow_tweet();`);
    try {
      const good = JSON.parse(sample[5]) as Record<string, unknown>;
      const line = (id: string, over: Record<string, unknown> = {}) =>
        JSON.stringify({ ...good, link: `https://twitter.com/x/status/${id}`, ...over });
      const lines = [
        line('8200000000000000001', { username: 'slow_author' }),
        line('8200000000000000002', { likes_count: 1 }),
        line('8200000000000000003'),
        line('8200000000000000002', { likes_count: 999 }),
      ];
      const file = join(dir, 'twice.jsonl');
      await writeFile(file, lines.join('\n'));
      const summary = await importTweets(f.repo, { category: 'vc', from: file, batchSize: 2, concurrency: 3 });
      expect(summary).toMatchObject({ read: 4, inserted: 3, alreadyPresent: 1 });
      const kept = await f.pool.query(`SELECT like_count, origin_ref FROM tweets WHERE platform_id = '8200000000000000002'`);
      expect(kept.rows).toEqual([{ like_count: 1, origin_ref: `${file}:2` }]);
    } finally {
      await f.pool.query('DROP TRIGGER slow_tweet ON tweets; DROP FUNCTION slow_tweet()');
    }
  });

  it('writes the later line of a tweet when the database refused the first', async () => {
    await f.pool.query(`
      CREATE FUNCTION refuse_zero() RETURNS trigger AS $$
      BEGIN
        IF NEW.like_count = 0 THEN RAISE EXCEPTION 'no likes'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_zero BEFORE INSERT ON tweets FOR EACH ROW EXECUTE FUNCTION refuse_zero();`);
    try {
      const good = JSON.parse(sample[6]) as Record<string, unknown>;
      const line = (id: string, likes: number) => JSON.stringify({ ...good, link: `https://twitter.com/x/status/${id}`, likes_count: likes });
      const lines = [line('8300000000000000001', 5), line('8300000000000000002', 0), line('8300000000000000003', 5), line('8300000000000000002', 7)];
      const file = join(dir, 'refused-first.jsonl');
      await writeFile(file, lines.join('\n'));
      const summary = await importTweets(f.repo, { category: 'vc', from: file, batchSize: 2, concurrency: 3 });
      expect(summary).toMatchObject({ read: 4, inserted: 3, alreadyPresent: 0, rejected: { db_rejected: 1 } });
      const kept = await f.pool.query(`SELECT like_count FROM tweets WHERE platform_id = '8300000000000000002'`);
      expect(kept.rows).toEqual([{ like_count: 7 }]);
    } finally {
      await f.pool.query('DROP TRIGGER refuse_zero ON tweets; DROP FUNCTION refuse_zero()');
    }
  });

  it('stops, rather than reporting every line refused, when the database refuses the whole batch', async () => {
    await f.pool.query(`
      CREATE FUNCTION refuse_all() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'store closed'; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_all BEFORE INSERT ON tweets FOR EACH ROW EXECUTE FUNCTION refuse_all();`);
    try {
      const good = JSON.parse(sample[7]) as Record<string, unknown>;
      const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ ...good, link: `https://twitter.com/x/status/84000000000000000${String(i).padStart(2, '0')}` }));
      await writeFile(join(dir, 'closed.jsonl'), lines.join('\n'));
      await expect(importTweets(f.repo, { category: 'vc', from: join(dir, 'closed.jsonl'), batchSize: 10 })).rejects.toThrow(/store closed/);
    } finally {
      await f.pool.query('DROP TRIGGER refuse_all ON tweets; DROP FUNCTION refuse_all()');
    }
  });

  it('refuses an unknown category and lists the known ones', async () => {
    await expect(importTweets(f.repo, { category: 'vcs', from: seed('vc') })).rejects.toThrow(UnknownCategoryError);
    await expect(importTweets(f.repo, { category: 'vcs', from: seed('vc') })).rejects.toThrow(
      /Unknown category "vcs". Known: covid19, democrats, republicans, vc/,
    );
  });

  it('says plainly when the source does not exist', async () => {
    await expect(importTweets(f.repo, { category: 'vc', from: join(dir, 'nope.jsonl') })).rejects.toThrow(/nope.jsonl: no such file or folder/);
  });
});
