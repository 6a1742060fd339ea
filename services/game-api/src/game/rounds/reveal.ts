import type { HumanReveal, MachineReveal } from '@ttt/contracts';
import type { RevealRow } from './rounds.repository.js';

/** What a player learns about a tweet once they have guessed. */
export function toReveal(truth: 'human' | 'machine', row: RevealRow): HumanReveal | MachineReveal {
  if (truth === 'machine') {
    return {
      kind: 'machine',
      model: { name: `gpt2-twitter-${row.slug}`, version: row.modelVersion ?? 0, versionId: row.modelVersionId ?? 0 },
      sampling: row.sampling ?? {},
      generatedAt: (row.generatedAt ?? new Date(0)).toISOString(),
    };
  }
  return {
    kind: 'human',
    author: { handle: row.authorHandle ?? '', name: row.authorName },
    url: row.url ?? tweetUrl(row),
    likes: row.likes ?? 0,
    retweets: row.retweets ?? 0,
    tweetedAt: (row.tweetedAt ?? new Date(0)).toISOString(),
  };
}

function tweetUrl(row: RevealRow): string | null {
  if (!row.authorHandle || !row.platformId) return null;
  if (row.platform === 'x') return `https://x.com/${row.authorHandle}/status/${row.platformId}`;
  if (row.platform === 'bluesky') {
    // Bluesky posts are stored by their at:// URI; the web link wants the record key.
    const rkey = row.platformId.split('/').pop();
    return rkey ? `https://bsky.app/profile/${row.authorHandle}/post/${rkey}` : null;
  }
  return null;
}
