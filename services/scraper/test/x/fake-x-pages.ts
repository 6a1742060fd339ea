import { xFixtureText } from './x-fixtures.js';

type Json = Record<string, any>;

export const FIRST_BOTTOM_CURSOR = 'fake-cursor-2';
const cursorFor = (page: number) => `fake-cursor-${page}`;

/** Which page a UserTweets cursor asks for: 1 without one, null for a cursor never handed out. */
export function pageOf(cursor: string | null): number | null {
  if (cursor === null) return 1;
  const m = /^fake-cursor-(\d+)$/.exec(cursor);
  return m ? Number(m[1]) : null;
}

const instructionsOf = (page: Json): Json[] => page.data.user.result.timeline.timeline.instructions;

function timelineTweetIds(page: Json, only?: string): string[] {
  const ids: string[] = [];
  const add = (itemContent: Json | undefined) => {
    let r = itemContent?.tweet_results?.result;
    if (r?.__typename === 'TweetWithVisibilityResults') r = r.tweet;
    if (r?.rest_id) ids.push(r.rest_id);
  };
  for (const ins of instructionsOf(page)) {
    if (only && ins.type !== only) continue;
    for (const entry of ins.entries ?? (ins.entry ? [ins.entry] : [])) {
      add(entry.content?.itemContent);
      for (const item of entry.content?.items ?? []) add(item.item?.itemContent);
    }
  }
  return ids;
}

function setBottomCursor(page: Json, value: string): void {
  for (const ins of instructionsOf(page)) {
    for (const entry of ins.entries ?? []) if (entry.content?.cursorType === 'Bottom') entry.content.value = value;
  }
}

/**
 * UserTweets pages built from the one recorded page: page 1 is the recording; pages 2..last
 * reuse its tweets under fresh ids (each of the account's timeline tweet ids shifted down per
 * page, everywhere it appears: entry ids, rest_id, id_str, conversation links) without the pin.
 * After the last page comes the end: a page with cursors and no tweets ('empty'), or a page of
 * tweets whose Bottom cursor is the one just sent ('repeat').
 */
export class FakeTimeline {
  private readonly recorded = xFixtureText('raw_user_tweets.json');
  private readonly ids = timelineTweetIds(JSON.parse(this.recorded));
  private readonly pinned = new Set(timelineTweetIds(JSON.parse(this.recorded), 'TimelinePinEntry'));
  private readonly cache = new Map<string, string>();

  constructor(
    readonly pages: number,
    readonly end: 'empty' | 'repeat',
  ) {}

  /** The body answering a request for this cursor. */
  body(cursor: string | null): string {
    const key = String(cursor);
    let body = this.cache.get(key);
    if (body === undefined) {
      body = this.build(cursor);
      this.cache.set(key, body);
    }
    return body;
  }

  /** The timeline tweet ids of a page (exact strings, as the parser should return them). */
  tweetIdsOf(pageNumber: number): string[] {
    if (pageNumber > this.pages && this.end === 'empty') return [];
    const ids = pageNumber > 1 ? this.ids.filter((id) => !this.pinned.has(id)) : this.ids;
    return [...new Set(ids.map((id) => shifted(id, pageNumber)))];
  }

  private build(cursor: string | null): string {
    const n = pageOf(cursor) ?? this.pages + 1;
    if (n > this.pages && this.end === 'empty') {
      return JSON.stringify({
        data: { user: { result: { __typename: 'User', timeline: { timeline: { instructions: [
          { type: 'TimelineAddEntries', entries: [
            { entryId: 'cursor-top-1', sortIndex: '1', content: { entryType: 'TimelineTimelineCursor', __typename: 'TimelineTimelineCursor', value: 'fake-top', cursorType: 'Top' } },
            { entryId: 'cursor-bottom-0', sortIndex: '0', content: { entryType: 'TimelineTimelineCursor', __typename: 'TimelineTimelineCursor', value: cursorFor(n + 1), cursorType: 'Bottom' } },
          ] },
        ] } } } } },
      });
    }
    let text = this.recorded;
    if (n > 1) {
      const map = new Map(this.ids.map((id) => [id, shifted(id, n)]));
      text = text.replace(/(?<!\d)\d{15,20}(?!\d)/g, (digits) => map.get(digits) ?? digits);
    }
    const page = JSON.parse(text) as Json;
    const timeline = page.data.user.result.timeline.timeline;
    if (n > 1) timeline.instructions = timeline.instructions.filter((i: Json) => i.type !== 'TimelinePinEntry');
    setBottomCursor(page, n > this.pages ? (cursor as string) : cursorFor(n + 1));
    return JSON.stringify(page);
  }
}

// 10^15 apart per page keeps 19 digits and stays clear of the recording's other ids.
const shifted = (id: string, page: number): string => (page <= 1 ? id : String(BigInt(id) - BigInt(page) * 10n ** 15n));
