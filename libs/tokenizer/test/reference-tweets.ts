import { existsSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dir = process.env.REFERENCE_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));

/** The first `limit` tweet texts of a reference category file. */
export async function referenceTweets(category: string, limit: number): Promise<string[]> {
  const file = `${dir}/seed-tweets/${category}.jsonl.gz`;
  if (!existsSync(file)) throw new Error(`reference data not found at ${file} (set REFERENCE_DATA_DIR)`);
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const texts: string[] = [];
  for await (const line of lines) {
    texts.push((JSON.parse(line) as { tweet: string }).tweet);
    if (texts.length >= limit) break;
  }
  lines.close();
  return texts;
}
