/**
 * When a text someone must write (a dispute reason, a defence, a moderator's note, a message, a name)
 * counts as written. `trim()` is not enough: a defence of one U+200B ZERO WIDTH SPACE is blank on
 * every screen, yet not empty. A text counts only if something remains once every character that
 * shows nothing on its own is removed:
 * - whitespace of any script (`White_Space`: spaces, NBSP, ideographic space, line separators);
 * - control and format characters (`Cc`, `Cf`: zero-width space/joiners, word joiner, invisible
 *   operators, BOM, bidi embeddings, overrides and isolates, soft hyphen, tags);
 * - default-ignorable code points (variation selectors, Hangul fillers U+115F, U+1160, U+3164,
 *   U+FFA0, combining grapheme joiner, Mongolian selectors);
 * - combining marks (`M`), which show nothing without a base letter;
 * - lone surrogates (`Cs`), and the braille blank U+2800, which renders as a space.
 * The text itself is kept as written (trimmed); this only decides whether it is there.
 */
const INVISIBLE =
  /[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\p{Cs}\u2800]/gu;

/** True when `text` has at least one character a reader can see. */
export function hasVisibleText(text: string | null | undefined): boolean {
  if (typeof text !== "string") return false;
  return text.replace(INVISIBLE, "").length > 0;
}

/** The text trimmed, or null when nothing in it is visible (absent, blank, or only invisible characters). */
export function visibleTextOrNull(text: string | null | undefined): string | null {
  return hasVisibleText(text) ? (text as string).trim() : null;
}

/** The message transports give for a required text that has nothing visible in it. */
export const VISIBLE_TEXT_REQUIRED = "must contain visible text (whitespace and invisible characters alone do not count)";

/**
 * Characters a one-line label — an agent's display name, a service's or an offer's title, an alert's
 * title — must not hold, because every screen, mail subject and chat notification shows it as one
 * line next to trusted text: line breaks and every other control character (`Cc`: a label "Logo\n
 * Holdfast: payment verified" forges a second line), the Unicode line and paragraph separators, and
 * the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder
 * what follows them: a display name "Evil\u202Eetis" shows as "Evilsite". Right-to-left scripts need
 * none of them (their order comes from the letters); the marks U+200E/U+200F stay allowed.
 */
const NOT_IN_ONE_LINE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** True when `text` can be shown as one line as it was written (see NOT_IN_ONE_LINE). */
export function isOneLineText(text: string): boolean {
  return !NOT_IN_ONE_LINE.test(text);
}

/** The message transports give for a one-line label that holds a line break, a control or a bidi override. */
export const ONE_LINE_TEXT_REQUIRED =
  "must be one line of plain text: no line breaks, tabs or other control characters, and no bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069)";
