// A manifest file's bytes -> its text, and what the decoder saw on the way.
//
// The encoding is chosen as YAML 1.2 (section 5.2) says: a byte order mark,
// else the pattern of zero bytes in the first characters (a YAML or JSON file
// starts with an ASCII character, so UTF-16 shows a zero byte beside it).
// Older Windows shells write UTF-16 (PowerShell 5's `>`), kubectl reads it when
// it has a byte order mark. The byte order mark is not part of the text (as in
// an editor's document), so offsets agree with the editor's.
//
// Bytes that are not UTF-8 become U+FFFD, one per maximal invalid sequence
// (as TextDecoder and the WHATWG Encoding standard do), and their text offsets
// are kept: the parser reports them at their line instead of reading a name
// with a replacement character in it as if it were written so.

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** What the reader of a file saw: its size on disk, its encoding, bytes it could not decode. */
export interface FileSource {
  /**
   * The file's size in bytes. A reader checks it before reading: a file over
   * the limit is handed in with no text or only its head, and is reported as
   * too large without being parsed.
   */
  bytes?: number;
  encoding?: TextEncodingName;
  /** Whether the file started with a byte order mark (not part of the text). */
  bom?: boolean;
  /** Text offsets of the U+FFFD that replaced bytes which were not valid in the encoding, ascending. */
  invalidAt?: readonly number[];
}

export interface DecodedText {
  text: string;
  source: FileSource & { bytes: number; encoding: TextEncodingName; bom: boolean; invalidAt: number[] };
}

/** Whether two readings of a file saw the same (no source: a UTF-8 text read whole). */
export function sameFileSource(a: FileSource | undefined, b: FileSource | undefined): boolean {
  const key = (x: FileSource | undefined) => `${x?.bytes ?? ''}|${x?.encoding ?? 'utf-8'}|${x?.bom === true}|${(x?.invalidAt ?? []).join(',')}`;
  return a === b || key(a) === key(b);
}

/** Decode a manifest file's bytes; never throws. */
export function decodeManifestBytes(bytes: Uint8Array): DecodedText {
  const b = bytes;
  const size = b.length;
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return decodeUtf16(b.subarray(2), 'utf-16le', true, size);
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return decodeUtf16(b.subarray(2), 'utf-16be', true, size);
  // Without a byte order mark: two ASCII characters, each with a zero byte beside it.
  if (b.length >= 4 && b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) return decodeUtf16(b, 'utf-16le', false, size);
  if (b.length >= 4 && b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0) return decodeUtf16(b, 'utf-16be', false, size);
  const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  return decodeUtf8(bom ? b.subarray(3) : b, bom, size);
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function decodeUtf8(b: Uint8Array, bom: boolean, bytes: number): DecodedText {
  // The usual file is valid: decoded once natively, and only a text holding a
  // U+FFFD (written in the file, or put there by the decoder) is walked here.
  const whole = utf8.decode(b);
  const first = whole.includes('\ufffd') ? firstInvalidUtf8(b, 0) : -1;
  if (first < 0) return { text: whole, source: { bytes, encoding: 'utf-8', bom, invalidAt: [] } };
  // Valid runs are decoded whole; each invalid sequence becomes one U+FFFD whose offset is recorded.
  const parts: string[] = [];
  const invalidAt: number[] = [];
  let length = 0;
  let from = 0;
  for (let at = first; at >= 0; at = firstInvalidUtf8(b, from)) {
    const run = utf8.decode(b.subarray(from, at));
    parts.push(run, '\ufffd');
    length += run.length;
    invalidAt.push(length);
    length += 1;
    from = at + invalidLength(b, at);
  }
  parts.push(utf8.decode(b.subarray(from)));
  return { text: parts.join(''), source: { bytes, encoding: 'utf-8', bom, invalidAt } };
}

/** The length of the sequence a valid UTF-8 lead byte announces (0: not a lead byte). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Whether `c` may follow `lead` as the second byte (excludes overlong forms, surrogates and code points past U+10FFFF). */
function secondByteFits(lead: number, c: number): boolean {
  if (lead === 0xe0) return c >= 0xa0 && c <= 0xbf;
  if (lead === 0xed) return c >= 0x80 && c <= 0x9f;
  if (lead === 0xf0) return c >= 0x90 && c <= 0xbf;
  if (lead === 0xf4) return c >= 0x80 && c <= 0x8f;
  return c >= 0x80 && c <= 0xbf;
}

/** How many bytes of a valid sequence start at `at` (0 when none does). */
function validLength(b: Uint8Array, at: number): number {
  const n = sequenceLength(b[at]);
  if (n <= 1) return n;
  if (at + n > b.length || !secondByteFits(b[at], b[at + 1])) return 0;
  for (let i = 2; i < n; i++) if ((b[at + i] & 0xc0) !== 0x80) return 0;
  return n;
}

/** The bytes one U+FFFD stands for at an invalid position: the lead byte and the continuation bytes that fit it. */
function invalidLength(b: Uint8Array, at: number): number {
  const n = sequenceLength(b[at]);
  if (n <= 1) return 1;
  let len = 1;
  if (at + 1 < b.length && secondByteFits(b[at], b[at + 1])) {
    len = 2;
    while (len < n && at + len < b.length && (b[at + len] & 0xc0) === 0x80) len++;
  }
  return len;
}

function firstInvalidUtf8(b: Uint8Array, from: number): number {
  let i = from;
  while (i < b.length) {
    if (b[i] < 0x80) {
      i++;
      continue;
    }
    const n = validLength(b, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

function decodeUtf16(b: Uint8Array, encoding: 'utf-16le' | 'utf-16be', bom: boolean, bytes: number): DecodedText {
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(b);
  const invalidAt: number[] = [];
  // A lone surrogate or an odd last byte becomes U+FFFD; a U+FFFD written in the file stays unreported.
  if (text.includes('\ufffd')) {
    const le = encoding === 'utf-16le';
    for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) {
      const lo = b[2 * i + (le ? 0 : 1)];
      const hi = b[2 * i + (le ? 1 : 0)];
      if (lo !== 0xfd || hi !== 0xff) invalidAt.push(i);
    }
  }
  return { text, source: { bytes, encoding, bom, invalidAt } };
}
