// Texts that look empty on every screen, for the rule that a required text must show something
// (src/domain/text.ts) and the transports that apply it (issue 16 item 15).

/** Texts that show nothing on a screen, each with what it is made of. */
export const INVISIBLE_TEXTS: [string, string][] = [
  ["empty", ""],
  ["ASCII spaces, tabs and newlines", " \t\r\n\v\f "],
  ["zero width space", "\u200b"],
  ["zero width non-joiner, joiner, LRM, RLM", "\u200c\u200d\u200e\u200f"],
  ["word joiner and BOM", "\u2060\ufeff"],
  ["invisible operators U+2061–U+2064", "\u2061\u2062\u2063\u2064"],
  ["NBSP between spaces", "   \u00a0"],
  ["narrow NBSP, figure space, ideographic space", "\u202f\u2007\u3000"],
  ["en/em/thin/hair spaces", "\u2002\u2003\u2009\u200a"],
  ["line and paragraph separators, NEL", "\u2028\u2029\u0085"],
  ["Ogham space mark", "\u1680"],
  ["bidi embeddings, overrides and isolates", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"],
  ["Arabic letter mark", "\u061c"],
  ["soft hyphen", "\u00ad"],
  ["Mongolian vowel separator", "\u180e"],
  ["Hangul fillers", "\u3164\u115f\u1160\uffa0"],
  ["braille blank", "\u2800\u2800"],
  ["combining marks alone", "\u0301\u0308\u20dd"],
  ["combining grapheme joiner", "\u034f"],
  ["variation selectors", "\ufe0f\ufe0e\u{e0100}"],
  ["tag characters", "\u{e0001}\u{e0067}\u{e007f}"],
  ["C0 and C1 controls", "\u0001\u001f\u007f\u0090"],
  ["a lone surrogate", "\ud800"],
  ["a mix of all", " \u200b\u2060\ufeff\u00a0\u3164\u2800\u0301\u202e\u0007 "],
];
