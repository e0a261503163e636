// A faster reader for the YAML that manifests are nearly always written in.
//
// @stoplight/yaml-ast-parser keeps the source positions the findings need, but
// it pays for its editor use: per line a position record, per node an errors
// array and a parent pointer, per scalar its raw text, a regular expression
// per scalar segment and a quadratic duplicate-key check through closures.
// Parsing was 1.3x js-yaml (which keeps no positions), the largest part of a
// full analysis.
//
// This reader is the same algorithm (js-yaml's loader, as that parser forks
// it), ported function by function so that every node it builds has the
// positions, values and types the parser gives: the readers in this folder see
// no difference, and a differential test holds the two to that on the corpus,
// the examples and randomly broken manifests. It reads only what manifests
// use: block and flow collections, plain, quoted and block scalars, comments.
// Anything else (tags, anchors, aliases, explicit `?` keys, directives, a tab
// in indentation, a key written twice, an empty document) and every error or
// warning the parser would report make it give up on the document (`undefined`),
// and the caller parses that document with yaml-ast-parser as before. So it
// never has to be right about broken YAML: it only has to know it is broken.
import type { YAMLNode } from '@stoplight/yaml-ast-parser';
import DEFAULT_SAFE_SCHEMA from '@stoplight/yaml-ast-parser/dist/src/schema/default_safe.js';
import { MAP, SCALAR, SEQ } from './ast';

const MAPPING = 1;

/** Thrown inside the reader when the document needs the full parser. */
const GIVE_UP = new Error('fast YAML path: not handled here');

// Contexts of composeNode, as in the parser.
const FLOW_IN = 1;
const FLOW_OUT = 2;
const BLOCK_IN = 3;
const BLOCK_OUT = 4;

const CHOMPING_CLIP = 1;
const CHOMPING_STRIP = 2;
const CHOMPING_KEEP = 3;

/**
 * Characters the parser may reject in a scalar (its PATTERN_NON_PRINTABLE, with
 * every surrogate instead of only unpaired ones): a document holding one goes
 * to the parser. One character class, so the test is a plain scan.
 */
const MAYBE_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/;

interface Scalar {
  kind: typeof SCALAR;
  startPosition: number;
  endPosition: number;
  value: string;
  valueObject: unknown;
  plainScalar: boolean;
}
interface Mapping {
  kind: typeof MAPPING;
  startPosition: number;
  endPosition: number;
  key: Scalar;
  value: Node | null;
}
interface MapNode {
  kind: typeof MAP;
  startPosition: number;
  endPosition: number;
  mappings: Mapping[];
}
interface SeqNode {
  kind: typeof SEQ;
  startPosition: number;
  endPosition: number;
  items: (Node | null)[];
}
type Node = Scalar | MapNode | SeqNode;

interface Comment {
  startPosition: number;
  endPosition: number;
  value: string;
}

interface ImplicitType {
  resolve(data: string): boolean;
  construct(data: string): unknown;
}
const IMPLICIT_TYPES = (DEFAULT_SAFE_SCHEMA as unknown as { compiledImplicit: (ImplicitType & { tag: string })[] }).compiledImplicit;
const TIMESTAMP = IMPLICIT_TYPES.find((t) => t.tag === 'tag:yaml.org,2002:timestamp');

/**
 * A plain scalar's value as the parser's schema types it (null, boolean,
 * number, timestamp, the merge key), or undefined for a string.
 */
export function typedValue(text: string): unknown {
  const c = text.charCodeAt(0);
  const length = text.length;
  // Starting with a letter, only the spellings of null, true and false are typed
  // (numbers, timestamps and .inf/.nan start with a digit, a sign or a dot).
  if (isLetter(c)) {
    if (length === 4) {
      if (text === 'null' || text === 'Null' || text === 'NULL') return null;
      if (text === 'true' || text === 'True' || text === 'TRUE') return true;
    } else if (length === 5 && (text === 'false' || text === 'False' || text === 'FALSE')) return false;
    return undefined;
  }
  // A decimal integer without a sign, a leading zero (octal) or "_": the int type's value.
  if (c >= 49 && c <= 57 && length <= 15) {
    let digits = 1;
    while (digits < length) {
      const d = text.charCodeAt(digits);
      if (d < 48 || d > 57) break;
      digits++;
    }
    if (digits === length) return Number(text);
  }
  const mayBeTyped = (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 126 || c === 60 || c === 95;
  if (!mayBeTyped) return undefined;
  // A timestamp starts with a four-digit year and "-"; its regular expression is
  // the costliest resolver and "100m" or "128Mi" (resources) reach it otherwise.
  const mayBeTimestamp = text.charCodeAt(4) === 45;
  for (let i = 0; i < IMPLICIT_TYPES.length; i++) {
    const type = IMPLICIT_TYPES[i];
    if (type === TIMESTAMP && !mayBeTimestamp) continue;
    if (type.resolve(text)) return type.construct(text);
  }
  return undefined;
}

function isWhiteSpace(c: number): boolean {
  return c === 32 || c === 9;
}
function isLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 97 && lower <= 122;
}
function isWsOrEol(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}
/**
 * A character inside a plain scalar that needs none of its loop's checks: not
 * a blank, a line break, NUL, ":" or "#", nor in a flow collection ",[]{}".
 * (Line starts, where "---" could end the document, are left to the loop.)
 */
function isOrdinary(c: number, withinFlowCollection: boolean): boolean {
  if (c > 58) return !withinFlowCollection || (c !== 91 && c !== 93 && c !== 123 && c !== 125);
  return c > 32 && c !== 35 && c !== 58 && (c !== 44 || !withinFlowCollection);
}

class Reader {
  readonly input: string;
  readonly length: number;
  pos = 0;
  line = 0;
  lineStart = 0;
  lineIndent = 0;
  result: Node | null = null;
  readonly comments: Comment[] = [];

  constructor(
    input: string,
    /** The file text the input was cut from, at `base`: what values are sliced from. */
    private readonly text: string,
    private readonly base: number,
  ) {
    this.input = input;
    // As the parser's: the text with its final line break, without the NUL sentinel after it.
    this.length = input.length - 1;
  }

  /**
   * Input characters [start, end) as a string, taken from the file text: a
   * long value is then a slice of the text the analysis keeps anyway, not of
   * this reader's copy (which a kept value would keep alive, doubling the
   * memory the texts take).
   */
  slice(start: number, end: number): string {
    return this.text.slice(this.base + start, this.base + end);
  }

  // ---------------------------------------------------------------- spaces

  readLineBreak(): void {
    const ch = this.input.charCodeAt(this.pos);
    if (ch === 10) this.pos++;
    else if (ch === 13) {
      this.pos++;
      if (this.input.charCodeAt(this.pos) === 10) this.pos++;
    } else throw GIVE_UP;
    this.line++;
    this.lineStart = this.pos;
  }

  readComment(): void {
    const input = this.input;
    const start = this.pos;
    let ch: number;
    do ch = input.charCodeAt(++this.pos);
    while (ch !== 0 && ch !== 10 && ch !== 13);
    this.comments.push({ startPosition: start, endPosition: this.pos, value: this.slice(start + 1, this.pos) });
  }

  /**
   * Blanks, comments (where allowed) and line breaks; the number of line
   * breaks. (The parser's `checkIndent` only raises a warning nobody hears, so
   * a line indented less than a quoted scalar's node reads as it does there.)
   */
  skipSeparationSpace(allowComments: boolean): number {
    const input = this.input;
    let lineBreaks = 0;
    let ch = input.charCodeAt(this.pos);
    while (ch !== 0) {
      while (ch === 32 || ch === 9) {
        // The parser warns of every tab here; whether that is an error is decided with its tree.
        if (ch === 9) throw GIVE_UP;
        ch = input.charCodeAt(++this.pos);
      }
      if (allowComments && ch === 35) {
        this.readComment();
        ch = input.charCodeAt(this.pos);
      }
      if (ch === 10 || ch === 13) {
        this.readLineBreak();
        ch = input.charCodeAt(this.pos);
        lineBreaks++;
        this.lineIndent = 0;
        while (ch === 32) {
          this.lineIndent++;
          ch = input.charCodeAt(++this.pos);
        }
      } else break;
    }
    return lineBreaks;
  }

  testDocumentSeparator(): boolean {
    const input = this.input;
    const p = this.pos;
    const ch = input.charCodeAt(p);
    if ((ch === 45 || ch === 46) && input.charCodeAt(p + 1) === ch && input.charCodeAt(p + 2) === ch) {
      const next = input.charCodeAt(p + 3);
      return next === 0 || isWsOrEol(next);
    }
    return false;
  }

  // ---------------------------------------------------------------- scalars

  readPlainScalar(nodeIndent: number, withinFlowCollection: boolean): boolean {
    const input = this.input;
    let ch = input.charCodeAt(this.pos);
    if (
      isWsOrEol(ch) ||
      isFlowIndicator(ch) ||
      ch === 35 /* # */ ||
      ch === 38 /* & */ ||
      ch === 42 /* * */ ||
      ch === 33 /* ! */ ||
      ch === 124 /* | */ ||
      ch === 62 /* > */ ||
      ch === 39 /* ' */ ||
      ch === 34 /* " */ ||
      ch === 37 /* % */ ||
      ch === 64 /* @ */ ||
      ch === 96 /* ` */
    ) {
      return false;
    }
    if (ch === 63 /* ? */ || ch === 45 /* - */) {
      const following = input.charCodeAt(this.pos + 1);
      if (isWsOrEol(following) || (withinFlowCollection && isFlowIndicator(following))) return false;
    }
    let value = '';
    let startPosition = -1;
    let endPosition = -1;
    let captureStart = this.pos;
    let captureEnd = this.pos;
    let hasPendingContent = false;
    let line0 = 0;
    while (ch !== 0) {
      // A run of characters that end nothing (most of a key or value), in one tight loop.
      if (!hasPendingContent && this.pos !== this.lineStart && isOrdinary(ch, withinFlowCollection)) {
        let p = this.pos;
        do ch = input.charCodeAt(++p);
        while (isOrdinary(ch, withinFlowCollection));
        this.pos = p;
        captureEnd = p;
        continue;
      }
      if (ch === 58 /* : */) {
        const following = input.charCodeAt(this.pos + 1);
        if (isWsOrEol(following) || (withinFlowCollection && isFlowIndicator(following))) break;
      } else if (ch === 35 /* # */) {
        if (isWsOrEol(input.charCodeAt(this.pos - 1))) break;
      } else if ((this.pos === this.lineStart && this.testDocumentSeparator()) || (withinFlowCollection && isFlowIndicator(ch))) {
        break;
      } else if (ch === 10 || ch === 13) {
        line0 = this.line;
        const lineStart = this.lineStart;
        const lineIndent = this.lineIndent;
        this.skipSeparationSpace(false);
        if (this.lineIndent >= nodeIndent) {
          hasPendingContent = true;
          ch = input.charCodeAt(this.pos);
          continue;
        }
        this.pos = captureEnd;
        this.line = line0;
        this.lineStart = lineStart;
        this.lineIndent = lineIndent;
        break;
      }
      if (hasPendingContent) {
        // captureSegment, then the folded line breaks.
        if (startPosition === -1) startPosition = captureStart;
        if (captureStart <= captureEnd) {
          value += this.slice(captureStart, captureEnd);
          endPosition = captureEnd;
        }
        value += folded(this.line - line0);
        captureStart = captureEnd = this.pos;
        hasPendingContent = false;
      }
      if (!isWhiteSpace(ch)) captureEnd = this.pos + 1;
      ch = input.charCodeAt(++this.pos);
    }
    if (startPosition === -1) startPosition = captureStart;
    if (captureStart <= captureEnd) {
      value += this.slice(captureStart, captureEnd);
      endPosition = captureEnd;
    }
    this.result = { kind: SCALAR, startPosition, endPosition, value, valueObject: undefined, plainScalar: true };
    return true;
  }

  readSingleQuotedScalar(): boolean {
    const input = this.input;
    if (input.charCodeAt(this.pos) !== 39) return false;
    const startPosition = this.pos;
    let endPosition = -1;
    let value = '';
    this.pos++;
    let captureStart = this.pos;
    let captureEnd = this.pos;
    let ch: number;
    while ((ch = input.charCodeAt(this.pos)) !== 0) {
      if (ch === 39) {
        if (captureStart <= this.pos) value += this.slice(captureStart, this.pos);
        ch = input.charCodeAt(++this.pos);
        endPosition = this.pos;
        if (ch === 39) {
          captureStart = captureEnd = this.pos;
          this.pos++;
        } else {
          this.result = { kind: SCALAR, startPosition, endPosition, value, valueObject: undefined, plainScalar: false };
          return true;
        }
      } else if (ch === 10 || ch === 13) {
        if (captureStart <= captureEnd) value += this.slice(captureStart, captureEnd);
        value += folded(this.skipSeparationSpace(false));
        captureStart = captureEnd = this.pos;
      } else if (this.pos === this.lineStart && this.testDocumentSeparator()) {
        throw GIVE_UP;
      } else {
        this.pos++;
        captureEnd = this.pos;
        endPosition = this.pos;
      }
    }
    throw GIVE_UP;
  }

  readDoubleQuotedScalar(): boolean {
    const input = this.input;
    if (input.charCodeAt(this.pos) !== 34) return false;
    const startPosition = this.pos;
    let value = '';
    this.pos++;
    let captureStart = this.pos;
    let captureEnd = this.pos;
    let ch: number;
    while ((ch = input.charCodeAt(this.pos)) !== 0) {
      if (ch === 34) {
        if (captureStart <= this.pos) value += this.slice(captureStart, this.pos);
        this.pos++;
        this.result = { kind: SCALAR, startPosition, endPosition: this.pos, value, valueObject: undefined, plainScalar: false };
        return true;
      } else if (ch === 92 /* \ */) {
        if (captureStart <= this.pos) value += this.slice(captureStart, this.pos);
        ch = input.charCodeAt(++this.pos);
        if (ch === 10 || ch === 13) {
          this.skipSeparationSpace(false);
        } else {
          const escaped = ch < 256 ? SIMPLE_ESCAPES[ch] : '';
          if (escaped) {
            value += escaped;
            this.pos++;
          } else {
            const hexLength = ch === 0x78 ? 2 : ch === 0x75 ? 4 : ch === 0x55 ? 8 : 0;
            if (hexLength === 0) throw GIVE_UP; // 'unknown escape sequence'
            let code = 0;
            for (let n = hexLength; n > 0; n--) {
              const d = hexDigit(input.charCodeAt(++this.pos));
              if (d < 0) throw GIVE_UP;
              code = (code << 4) + d;
            }
            value += code <= 0xffff ? String.fromCharCode(code) : String.fromCharCode(((code - 0x010000) >> 10) + 0xd800, ((code - 0x010000) & 0x03ff) + 0xdc00);
            this.pos++;
          }
        }
        captureStart = captureEnd = this.pos;
      } else if (ch === 10 || ch === 13) {
        if (captureStart <= captureEnd) value += this.slice(captureStart, captureEnd);
        value += folded(this.skipSeparationSpace(false));
        captureStart = captureEnd = this.pos;
      } else if (this.pos === this.lineStart && this.testDocumentSeparator()) {
        throw GIVE_UP;
      } else {
        this.pos++;
        captureEnd = this.pos;
      }
    }
    throw GIVE_UP;
  }

  readBlockScalar(nodeIndent: number): boolean {
    const input = this.input;
    let ch = input.charCodeAt(this.pos);
    let folding: boolean;
    if (ch === 124) folding = false;
    else if (ch === 62) folding = true;
    else return false;
    let chomping = CHOMPING_CLIP;
    let detectedIndent = false;
    let textIndent = nodeIndent;
    let emptyLines = 0;
    let atMoreIndented = false;
    let value = '';
    const startPosition = this.pos;
    while (ch !== 0) {
      ch = input.charCodeAt(++this.pos);
      if (ch === 43 || ch === 45) {
        if (chomping !== CHOMPING_CLIP) throw GIVE_UP;
        chomping = ch === 43 ? CHOMPING_KEEP : CHOMPING_STRIP;
      } else if (ch >= 48 && ch <= 57) {
        if (ch === 48 || detectedIndent) throw GIVE_UP;
        textIndent = nodeIndent + (ch - 48) - 1;
        detectedIndent = true;
      } else break;
    }
    if (isWhiteSpace(ch)) {
      do ch = input.charCodeAt(++this.pos);
      while (isWhiteSpace(ch));
      if (ch === 35) {
        this.readComment();
        ch = input.charCodeAt(this.pos);
      }
    }
    while (ch !== 0) {
      this.readLineBreak();
      this.lineIndent = 0;
      ch = input.charCodeAt(this.pos);
      while ((!detectedIndent || this.lineIndent < textIndent) && ch === 32) {
        this.lineIndent++;
        ch = input.charCodeAt(++this.pos);
      }
      if (!detectedIndent && this.lineIndent > textIndent) textIndent = this.lineIndent;
      if (ch === 10 || ch === 13) {
        emptyLines++;
        continue;
      }
      if (this.lineIndent < textIndent) {
        if (chomping === CHOMPING_KEEP) value += '\n'.repeat(emptyLines);
        else if (chomping === CHOMPING_CLIP && detectedIndent) value += '\n';
        break;
      }
      if (folding) {
        if (isWhiteSpace(ch)) {
          atMoreIndented = true;
          value += '\n'.repeat(emptyLines + 1);
        } else if (atMoreIndented) {
          atMoreIndented = false;
          value += '\n'.repeat(emptyLines + 1);
        } else if (emptyLines === 0) {
          if (detectedIndent) value += ' ';
        } else {
          value += '\n'.repeat(emptyLines);
        }
      } else if (detectedIndent) {
        value += '\n'.repeat(emptyLines + 1);
      }
      detectedIndent = true;
      emptyLines = 0;
      const captureStart = this.pos;
      while (ch !== 10 && ch !== 13 && ch !== 0) ch = input.charCodeAt(++this.pos);
      value += this.slice(captureStart, this.pos);
    }
    // The parser's end: back over trailing blanks to the last line break (or
    // the last other character) before where reading stopped.
    let i = this.pos - 1;
    for (;;) {
      const c = input.charCodeAt(i);
      if (c === 13 || c === 10 || (c !== 32 && c !== 9)) break;
      i--;
    }
    this.result = { kind: SCALAR, startPosition, endPosition: i, value, valueObject: undefined, plainScalar: false };
    return true;
  }

  // ---------------------------------------------------------------- collections

  readFlowCollection(nodeIndent: number): boolean {
    const input = this.input;
    let ch = input.charCodeAt(this.pos);
    let terminator: number;
    let map: MapNode | undefined;
    let seq: SeqNode | undefined;
    if (ch === 91) {
      terminator = 93;
      seq = { kind: SEQ, startPosition: this.pos, endPosition: -1, items: [] };
    } else if (ch === 123) {
      terminator = 125;
      map = { kind: MAP, startPosition: this.pos, endPosition: -1, mappings: [] };
    } else return false;
    const collection = (map ?? seq) as MapNode | SeqNode;
    let readNext = true;
    ch = input.charCodeAt(++this.pos);
    while (ch !== 0) {
      this.skipSeparationSpace(true);
      ch = input.charCodeAt(this.pos);
      if (ch === terminator) {
        this.pos++;
        collection.endPosition = this.pos;
        this.result = collection;
        return true;
      } else if (!readNext) throw GIVE_UP; // 'missed comma between flow collection entries'
      if (ch === 63 /* ? */ && isWsOrEol(input.charCodeAt(this.pos + 1))) throw GIVE_UP; // explicit key
      const line0 = this.line;
      // Nothing where an entry should be ("[a,,b]", "{a: }"): the parser makes an
      // empty scalar without a position of it and reports nothing; leave it to the parser.
      if (!this.composeNode(nodeIndent, FLOW_IN, false, true)) throw GIVE_UP;
      const keyNode = this.result;
      let valueNode: Node | null = null;
      let isPair = false;
      this.skipSeparationSpace(true);
      ch = input.charCodeAt(this.pos);
      if (this.line === line0 && ch === 58 /* : */) {
        isPair = true;
        ch = input.charCodeAt(++this.pos);
        this.skipSeparationSpace(true);
        if (!this.composeNode(nodeIndent, FLOW_IN, false, true)) throw GIVE_UP;
        valueNode = this.result;
      }
      if (map) {
        this.storeMappingPair(map, keyNode, valueNode);
      } else if (isPair) {
        // A single pair in a flow sequence ([a: b]): not a manifest's shape.
        throw GIVE_UP;
      } else {
        (seq as SeqNode).items.push(keyNode);
      }
      collection.endPosition = this.pos + 1;
      this.skipSeparationSpace(true);
      ch = input.charCodeAt(this.pos);
      if (ch === 44 /* , */) {
        readNext = true;
        ch = input.charCodeAt(++this.pos);
      } else readNext = false;
    }
    throw GIVE_UP; // 'unexpected end of the stream within a flow collection'
  }

  readBlockSequence(nodeIndent: number): boolean {
    const input = this.input;
    const seq: SeqNode = { kind: SEQ, startPosition: this.pos, endPosition: -1, items: [] };
    let detected = false;
    let ch = input.charCodeAt(this.pos);
    while (ch !== 0) {
      if (ch !== 45) break;
      if (!isWsOrEol(input.charCodeAt(this.pos + 1))) break;
      detected = true;
      this.pos++;
      if (this.skipSeparationSpace(true)) {
        if (this.lineIndent <= nodeIndent) {
          seq.items.push(null);
          ch = input.charCodeAt(this.pos);
          continue;
        }
      }
      const line0 = this.line;
      this.composeNode(nodeIndent, BLOCK_IN, false, true);
      if (this.result) seq.items.push(this.result);
      this.skipSeparationSpace(true);
      ch = input.charCodeAt(this.pos);
      if ((this.line === line0 || this.lineIndent > nodeIndent) && ch !== 0) throw GIVE_UP; // 'bad indentation of a sequence entry'
      else if (this.lineIndent < nodeIndent) break;
    }
    if (!detected) return false;
    seq.endPosition = this.pos;
    this.result = seq;
    return true;
  }

  readBlockMapping(nodeIndent: number, flowIndent: number): boolean {
    const input = this.input;
    const map: MapNode = { kind: MAP, startPosition: this.pos, endPosition: -1, mappings: [] };
    let detected = false;
    let ch = input.charCodeAt(this.pos);
    while (ch !== 0) {
      const following = input.charCodeAt(this.pos + 1);
      const line0 = this.line;
      // Explicit keys ("? key") and values without a key.
      if ((ch === 63 || ch === 58) && isWsOrEol(following)) throw GIVE_UP;
      if (isLetter(ch)) {
        // What composeNode does for a key starting with a letter: every other reader declines it.
        this.readPlainScalar(flowIndent, false);
        const key = this.result as Scalar;
        key.valueObject = typedValue(key.value);
      } else if (!this.composeNode(flowIndent, FLOW_OUT, false, true)) break;
      if (this.line !== line0) {
        if (detected) throw GIVE_UP; // 'a multiline key may not be an implicit key'
        return true; // a (multi-line) scalar, not a mapping: it is the result
      }
      ch = input.charCodeAt(this.pos);
      while (ch === 32 || ch === 9) ch = input.charCodeAt(++this.pos);
      if (ch !== 58) {
        if (this.pos === this.lineStart && this.testDocumentSeparator()) break;
        if (detected) throw GIVE_UP; // 'can not read an implicit mapping pair; a colon is missed'
        return true; // a scalar, not a mapping: it is the result
      }
      ch = input.charCodeAt(++this.pos);
      if (!isWsOrEol(ch)) throw GIVE_UP; // 'a whitespace character is expected after the key-value separator'
      detected = true;
      const keyNode = this.result;
      let valueNode: Node | null = null;
      if (this.line === line0 || this.lineIndent > nodeIndent) {
        if (this.composeNode(nodeIndent, BLOCK_OUT, true, false)) valueNode = this.result;
        this.storeMappingPair(map, keyNode, valueNode);
        this.skipSeparationSpace(true);
        ch = input.charCodeAt(this.pos);
      }
      if (this.lineIndent > nodeIndent && ch !== 0) throw GIVE_UP; // 'bad indentation of a mapping entry'
      else if (this.lineIndent < nodeIndent) break;
    }
    if (detected) this.result = map;
    return detected;
  }

  storeMappingPair(map: MapNode, key: Node | null, value: Node | null): void {
    if (key === null) return;
    // A key that is a collection; and a key written twice (the full parser
    // reports it, and the caller then keeps the last one, as Kubernetes does).
    if (key.kind !== SCALAR) throw GIVE_UP;
    const mappings = map.mappings;
    const name = key.value;
    for (let i = 0; i < mappings.length; i++) if (mappings[i].key.value === name) throw GIVE_UP;
    const endPosition = value ? value.endPosition : key.endPosition + 1;
    mappings.push({ kind: MAPPING, startPosition: key.startPosition, endPosition, key, value });
    map.endPosition = endPosition;
  }

  composeNode(parentIndent: number, context: number, allowToSeek: boolean, allowCompact: boolean): boolean {
    this.result = null;
    const blockContext = context === BLOCK_OUT || context === BLOCK_IN;
    let allowBlockCollections = blockContext;
    let indentStatus = 1;
    let atNewLine = false;
    let hasContent = false;
    if (allowToSeek && this.skipSeparationSpace(true)) {
      atNewLine = true;
      indentStatus = this.lineIndent > parentIndent ? 1 : this.lineIndent === parentIndent ? 0 : -1;
    }
    if (indentStatus === 1) {
      const ch = this.input.charCodeAt(this.pos);
      if (ch === 33 /* ! tag */ || ch === 38 /* & anchor */) throw GIVE_UP;
    }
    if (allowBlockCollections) allowBlockCollections = atNewLine || allowCompact;
    if (indentStatus === 1 || context === BLOCK_OUT) {
      const flowIndent = context === FLOW_IN || context === FLOW_OUT ? parentIndent : parentIndent + 1;
      const blockIndent = this.pos - this.lineStart;
      if (indentStatus === 1) {
        if ((allowBlockCollections && (this.readBlockSequence(blockIndent) || this.readBlockMapping(blockIndent, flowIndent))) || this.readFlowCollection(flowIndent)) {
          hasContent = true;
        } else if ((blockContext && this.readBlockScalar(flowIndent)) || this.readSingleQuotedScalar() || this.readDoubleQuotedScalar()) {
          hasContent = true;
        } else if (this.input.charCodeAt(this.pos) === 42 /* * alias */) {
          throw GIVE_UP;
        } else if (this.readPlainScalar(flowIndent, context === FLOW_IN)) {
          hasContent = true;
          const scalar = this.result as unknown as Scalar;
          scalar.valueObject = typedValue(scalar.value);
        }
      } else if (indentStatus === 0) {
        hasContent = allowBlockCollections && this.readBlockSequence(blockIndent);
      }
    }
    return hasContent;
  }

  /** The one document of the input (the parser's readDocument), or GIVE_UP. */
  document(): Node {
    const input = this.input;
    while (input.charCodeAt(this.pos) === 32) {
      this.lineIndent++;
      this.pos++;
    }
    // Nothing but blanks: the parser reads no document at all.
    if (this.pos >= this.length - 1) throw GIVE_UP;
    this.skipSeparationSpace(true);
    if (this.lineIndent === 0 && input.charCodeAt(this.pos) === 37 /* % directive */) throw GIVE_UP;
    if (this.lineIndent === 0 && input.charCodeAt(this.pos) === 45 && input.charCodeAt(this.pos + 1) === 45 && input.charCodeAt(this.pos + 2) === 45) {
      this.pos += 3;
      this.skipSeparationSpace(true);
    }
    this.composeNode(this.lineIndent - 1, BLOCK_OUT, false, true);
    this.skipSeparationSpace(true);
    const root = this.result;
    if (root === null) throw GIVE_UP; // an empty document
    // Another document ("---" or "...") or anything left over: the full parser decides.
    if (this.pos < this.length - 1) throw GIVE_UP;
    return root;
  }
}

/** What `breaks` line breaks inside a flow scalar read as: a space for one, one newline less for more (the parser's writeFoldedLines). */
function folded(breaks: number): string {
  return breaks === 1 ? ' ' : breaks > 1 ? '\n'.repeat(breaks - 1) : '';
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 97 + 10;
  return -1;
}

/** The parser's simple escape sequences, by the character after the backslash. */
const SIMPLE_ESCAPES: string[] = (() => {
  const table: string[] = new Array<string>(256).fill('');
  const pairs: [string, string][] = [
    ['0', '\x00'],
    ['a', '\x07'],
    ['b', '\x08'],
    ['t', '\x09'],
    ['\t', '\x09'],
    ['n', '\x0A'],
    ['v', '\x0B'],
    ['f', '\x0C'],
    ['r', '\x0D'],
    ['e', '\x1B'],
    [' ', ' '],
    ['"', '"'],
    ['/', '/'],
    ['\\', '\\'],
    ['N', '\x85'],
    ['_', '\xA0'],
    ['L', '\u2028'],
    ['P', '\u2029'],
  ];
  for (const [c, v] of pairs) table[c.charCodeAt(0)] = v;
  return table;
})();

/**
 * The single YAML document in text[start, end) (a piece of a file cut at "---"
 * lines), with what yaml-ast-parser's safeLoadAll would give for that piece:
 * positions relative to `start`, scalar values and types, and the document's
 * comments. Undefined when the document needs the full parser (see the header).
 */
export function readSingleDocument(text: string, start = 0, end = text.length): YAMLNode | undefined {
  if (end <= start || text.charCodeAt(start) === 0xfeff) return undefined;
  const source = start === 0 && end === text.length ? text : text.slice(start, end);
  if (MAYBE_NON_PRINTABLE.test(source)) return undefined;
  const last = source.charCodeAt(source.length - 1);
  const reader = new Reader(last === 10 || last === 13 ? source + '\0' : source + '\n\0', text, start);
  let root: Node;
  try {
    root = reader.document();
  } catch {
    // GIVE_UP, or the stack overflowing on deep nesting: the parser reports that one.
    return undefined;
  }
  // As the parser: the (last) document ends where the source does.
  root.endPosition = source.length;
  if (root.startPosition > root.endPosition) root.startPosition = root.endPosition;
  const doc = root as unknown as YAMLNode;
  doc.comments = reader.comments;
  return doc;
}
