export interface ShareScore {
  score: number;
  bestStreak: number;
  editionName: string;
}

export function shareText({ score, bestStreak, editionName }: ShareScore): string {
  return `I scored ${score} with a streak of ${bestStreak} on Twitter Turing Test (${editionName} edition). Can you tell people from a language model?`;
}

export function shareLinks(text: string, url: string) {
  const withUrl = `${text} ${url}`;
  return {
    x: `https://x.com/intent/post?${new URLSearchParams({ text, url })}`,
    // Bluesky's compose intent takes text only; the link goes in it.
    bluesky: `https://bsky.app/intent/compose?${new URLSearchParams({ text: withUrl })}`,
  };
}
