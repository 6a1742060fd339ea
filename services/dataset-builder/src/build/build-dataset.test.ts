import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalArtifactStore } from '@ttt/artifacts';
import { datasetFiltersSchema } from '@ttt/contracts';
import { END_OF_TEXT_ID, Gpt2Tokenizer, TokenizerPool } from '@ttt/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureTweet, referenceTweets, type TweetFixture, tweetFixture } from '../../test/tweet-fixture.js';
import { cleanTweetText } from '@ttt/text';
import { type BuildDatasetOptions, buildDataset } from './build-dataset.js';
import { DatasetRepository } from './dataset.repository.js';

const decoder = new Gpt2Tokenizer();
const tokenizer = new TokenizerPool();
const options = (category: string, extra: Partial<BuildDatasetOptions> = {}): BuildDatasetOptions => ({
  category,
  filters: datasetFiltersSchema.parse(undefined),
  valFraction: 0.1,
  seed: 0,
  minTrainTokens: 1000,
  minValTokens: 100,
  ...extra,
});

async function splitsOf(uri: string): Promise<Map<string, string>> {
  const tsv = await readFile(join(fileURLToPath(uri), 'splits.tsv'), 'utf8');
  return new Map(tsv.trim().split('\n').map((line) => line.split('\t') as [string, string]));
}

/** The tweets a token file holds, cut at <|endoftext|>. */
async function textsIn(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  const ids = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  const texts: string[] = [];
  let current: number[] = [];
  expect(ids[0]).toBe(END_OF_TEXT_ID);
  for (const id of ids.subarray(1)) {
    if (id === END_OF_TEXT_ID) {
      texts.push(decoder.decode(current));
      current = [];
    } else current.push(id);
  }
  expect(current).toEqual([]);
  return texts;
}

describe('buildDataset', () => {
  let f: TweetFixture;
  let storeDir: string;
  let store: LocalArtifactStore;
  let repo: DatasetRepository;
  let covid: FixtureTweet[];

  beforeAll(async () => {
    f = await tweetFixture();
    storeDir = await mkdtemp(join(tmpdir(), 'ttt-store-'));
    store = new LocalArtifactStore(storeDir);
    repo = new DatasetRepository(f.pool);
    covid = await referenceTweets('covid19');
  });
  afterAll(async () => {
    await tokenizer.close();
    await f?.close();
    await rm(storeDir, { recursive: true, force: true });
  });

  it('turns a category’s real tweets into token files, a split list and a manifest that add up', async () => {
    const ids = await f.addTweets('covid19', covid);
    const progress: number[] = [];
    const built = await buildDataset(repo, store, tokenizer, options('covid19', { onProgress: (p) => progress.push(p.read / p.total) }));
    const m = built.manifest;
    expect(m.read).toBe(covid.length);
    expect(m.kept + Object.values(m.dropped).reduce((a, b) => a + b, 0)).toBe(m.read);
    expect(m.kept).toBeGreaterThan(10_000);
    expect(m.dropped.link).toBeGreaterThan(0);
    expect(m.splits.train.tweets + m.splits.val.tweets).toBe(m.kept);
    expect(m.splits.val.tweets / m.kept).toBeGreaterThan(0.08);
    expect(m.splits.val.tweets / m.kept).toBeLessThan(0.12);
    expect(progress.at(-1)).toBe(1);

    const dir = fileURLToPath(built.artifactUri);
    for (const split of ['train', 'val'] as const) {
      const bytes = await readFile(join(dir, `${split}.bin`));
      expect(bytes.length).toBe(m.splits[split].tokens * 2);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(m.splits[split].sha256);
    }
    // Every kept tweet comes back from the token files, cleaned, in its split.
    const splits = await splitsOf(built.artifactUri);
    const byId = new Map(ids.map((id, i) => [String(id), covid[i]!]));
    const expected = { train: [] as string[], val: [] as string[] };
    for (const [id, split] of splits) expected[split as 'train' | 'val'].push(cleanTweetText(byId.get(id)!.text));
    expect(await textsIn(join(dir, 'train.bin'))).toEqual(expected.train);
    expect(await textsIn(join(dir, 'val.bin'))).toEqual(expected.val);
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))).toEqual(m);

    const { rows } = await f.pool.query('SELECT status, tweet_count, train_tokens, val_tokens, artifact_uri FROM datasets WHERE id = $1', [built.datasetId]);
    expect(rows[0]).toEqual({
      status: 'ready',
      tweet_count: m.kept,
      train_tokens: String(m.splits.train.tokens),
      val_tokens: String(m.splits.val.tokens),
      artifact_uri: built.artifactUri,
    });
  });

  it('drops exact and near duplicates, keeping the tweet stored first', async () => {
    await f.addTweets('dupes', [
      { platformId: '1', handle: 'a', text: 'Wash your hands &amp; stay home, everyone!' },
      { platformId: '2', handle: 'b', text: 'Wash your hands & stay home, everyone!' },
      { platformId: '3', handle: 'c', text: 'wash your hands, stay home everyone 🙏 @cdc' },
      { platformId: '4', handle: 'd', text: 'Testing capacity doubled again this week in our state.' },
    ]);
    const built = await buildDataset(repo, store, tokenizer, options('dupes', { minTrainTokens: 1, minValTokens: 0, valFraction: 0.01 }));
    expect(built.manifest.dropped).toMatchObject({ exact_duplicate: 1, near_duplicate: 1 });
    expect(await textsIn(join(fileURLToPath(built.artifactUri), 'train.bin'))).toEqual([
      'Wash your hands & stay home, everyone!',
      'Testing capacity doubled again this week in our state.',
    ]);
  });

  it('keeps every old validation tweet in validation when rebuilt with more tweets', async () => {
    const vc = await referenceTweets('vc', 8000);
    await f.addTweets('vc', vc.slice(0, 4000));
    const before = await splitsOf((await buildDataset(repo, store, tokenizer, options('vc'))).artifactUri);
    await f.addTweets('vc', vc.slice(4000));
    const after = await splitsOf((await buildDataset(repo, store, tokenizer, options('vc'))).artifactUri);
    expect(after.size).toBeGreaterThan(before.size * 1.8);
    let val = 0;
    for (const [id, split] of before) {
      expect(after.get(id), `tweet ${id}`).toBe(split);
      if (split === 'val') val++;
    }
    expect(val).toBeGreaterThan(300);
  });

  it('fails clearly for an unknown category, an empty one, and one too small to train on', async () => {
    await expect(buildDataset(repo, store, tokenizer, options('nfl'))).rejects.toThrow('Unknown category "nfl"');
    await f.pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('empty', 'Empty', now())`);
    await expect(buildDataset(repo, store, tokenizer, options('empty'))).rejects.toThrow('Category "empty" has no tweets');

    await f.addTweets('tiny', covid.slice(0, 40).map((t) => ({ ...t, platformId: `t${t.platformId}` })));
    await expect(buildDataset(repo, store, tokenizer, options('tiny', { minTrainTokens: 20_000 }))).rejects.toThrow(
      /Dataset for "tiny" is too small to train on: [\d,]+ training and [\d,]+ validation tokens from \d+ tweets; it needs at least 20,000 training/,
    );
    const { rows } = await f.pool.query(`SELECT d.status, d.error, d.manifest FROM datasets d JOIN categories c ON c.id = d.category_id WHERE c.slug = 'tiny'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('failed');
    expect(rows[0].error).toMatch(/too small/);
    expect(rows[0].manifest.read).toBe(40);
  });
});
