// Text from manifests, file names and cluster objects, made safe to show a
// person: in a terminal or CI log, a Markdown hover, the inspector.
//
// A control character inside a value can act on the terminal instead of being
// shown: ESC starts CSI/OSC sequences (erase a line, move the cursor, OSC 52
// writes the clipboard, OSC 8 makes a link), a bare CR returns to the start of
// the line and a newline starts a forged one ("No problems in 1 file"). In
// UTF-8 terminals the C1 controls (U+0080-U+009F, U+009B is a one-character
// CSI) do the same. Bidirectional overrides and isolates reorder what is shown
// (the "Trojan Source" trick), so a name can read as another.
//
// Every such character is shown as a visible escape: C0, DEL and C1 as `\x1b`,
// `\u009b` (or `\n`, `\r`, `\t`), bidi and line-separator format characters as
// `<U+202E>`. Everything else, ordinary Unicode included, is left as it is.
// Backslashes are not doubled (Windows paths stay readable): the escapes are
// for a reader, not a round trip; JSON and SARIF keep the exact text.

/** C0, DEL, C1, bidi embeddings/overrides/isolates/marks, line and paragraph separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The visible form of one unsafe character. */
export function visibleEscape(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0x9f) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** Whether `text` holds any character `terminalSafe` would escape. */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_TEST.test(text);
}

/** One value (a name, a label, a message part) on one line: every unsafe character escaped, newlines included. */
export function terminalSafe(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, visibleEscape) : text;
}

/**
 * A whole block of output whose line breaks are its own (a report, a stderr
 * message): every unsafe character escaped except "\n". The last line of
 * defence at the CLI's output; values inside it are escaped with
 * `terminalSafe` where they are written, since a newline inside a value can
 * only be told from the report's own there.
 */
export function terminalSafeBlock(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE_BUT_NEWLINE, visibleEscape) : text;
}

/**
 * A template tag: the literal parts are kept, each interpolated value goes
 * through `terminalSafe` (numbers and other values through String first).
 *   safe`${file}: cannot read the file (${error.message})\n`
 */
export function safe(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += terminalSafe(String(values[i])) + strings[i + 1];
  return out;
}

// The characters JSON.stringify leaves raw although a terminal may act on them
// (C1 controls) or reorder the text (bidi format characters); U+2028/U+2029 too,
// which some JavaScript consumers read as line ends.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text (from JSON.stringify) with the characters above written as \uXXXX
 * escapes: the same JSON value, safe to print. They can only occur inside
 * strings, where the escape is always valid.
 */
export function jsonTerminalSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
