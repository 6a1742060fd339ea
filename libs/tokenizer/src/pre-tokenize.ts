const LETTER = 1;
const NUMBER = 2;
const SPACE = 3;
const OTHER = 4;

const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;
const IS_SPACE = /^\s$/u;

function classifyCodePoint(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (IS_LETTER.test(ch)) return LETTER;
  if (IS_NUMBER.test(ch)) return NUMBER;
  if (IS_SPACE.test(ch)) return SPACE;
  return OTHER;
}

// The Basic Multilingual Plane classified once; astral characters (emoji mostly) on demand.
const bmp = new Uint8Array(0x10000);
for (let cp = 0; cp < 0x10000; cp++) bmp[cp] = cp >= 0xd800 && cp <= 0xdfff ? OTHER : classifyCodePoint(cp);
const astral = new Map<number, number>();

function classOf(cp: number): number {
  if (cp < 0x10000) return bmp[cp]!;
  let c = astral.get(cp);
  if (c === undefined) {
    c = classifyCodePoint(cp);
    astral.set(cp, c);
  }
  return c;
}

const APOSTROPHE = 0x27;
const SPACE_CHAR = 0x20;

/**
 * GPT-2's pre-tokenizer, `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
 * as a hand-written scanner: the regular expression with Unicode classes was a quarter of a
 * dataset build's time. Calls `emit` with each piece's start and end (code units).
 */
export function preTokenize(text: string, emit: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  const width = (cp: number) => (cp > 0xffff ? 2 : 1);
  const runOf = (from: number, cls: number): number => {
    let j = from;
    while (j < n) {
      const cp = text.codePointAt(j)!;
      if (classOf(cp) !== cls) break;
      j += width(cp);
    }
    return j;
  };
  while (i < n) {
    const cp = text.codePointAt(i)!;
    if (cp === APOSTROPHE) {
      const len = contraction(text, i + 1);
      if (len > 0) {
        emit(i, i + 1 + len);
        i += 1 + len;
        continue;
      }
    }
    let cls = classOf(cp);
    const start = i;
    if (cp === SPACE_CHAR && i + 1 < n) {
      const nextClass = classOf(text.codePointAt(i + 1)!);
      if (nextClass !== SPACE) {
        // A single space joins the word, number or punctuation run after it.
        cls = nextClass;
        i += 1;
      }
    }
    if (cls !== SPACE) {
      const end = runOf(i, cls);
      emit(start, end);
      i = end;
      continue;
    }
    const end = runOf(start, SPACE);
    if (end === n) {
      emit(start, end);
      i = end;
    } else {
      // The last space before a non-space is left to start the next piece. (Every \s
      // character is a single code unit.)
      if (end - 1 > start) {
        emit(start, end - 1);
        i = end - 1;
      } else {
        emit(start, end);
        i = end;
      }
    }
  }
}

/** Length of a contraction (s, t, re, ve, m, ll, d) right after an apostrophe, or 0. */
function contraction(text: string, at: number): number {
  const a = text.charCodeAt(at);
  if (a === 0x73 || a === 0x74 || a === 0x6d || a === 0x64) return 1; // s t m d
  const b = text.charCodeAt(at + 1);
  if ((a === 0x72 && b === 0x65) || (a === 0x76 && b === 0x65) || (a === 0x6c && b === 0x6c)) return 2; // re ve ll
  return 0;
}
