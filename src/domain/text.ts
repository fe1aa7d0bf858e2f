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
