// A manifest file's text -> model objects and parse findings.
//
// The text is cut at document separators ("---" at the start of a line; YAML
// ends a document there even inside a quoted scalar) and each piece is parsed
// on its own, so a syntax error stays in its document: the parser's error
// recovery can otherwise swallow every later document (an unclosed "[").
// A piece is read by fast-yaml.ts when it can (nearly every manifest), and by
// @stoplight/yaml-ast-parser otherwise; both give the same tree.
// Offsets are always into the original text (a BOM and CRLF line ends
// included).
import { safeLoadAll, type YAMLNode, type YAMLScalar } from '@stoplight/yaml-ast-parser';
import { CONFIG_FILE_NAME, DEFAULT_MAX_BYTES, SETTINGS_SECTION } from '../../config/facts';
import type { Finding } from '../../findings/types';
import type { Loc, ModelObject } from '../../model/types';
import type { FileSource } from '../../text/decode';
import { LineIndex } from '../../text/lines';
import { AliasLimitError, ANCHOR_REF, DocContext, MAP, SCALAR, SEQ, type InvalidValue } from './ast';
import { readDocument } from './documents';
import { readSingleDocument } from './fast-yaml';
import type { ParseRuleId } from './rules';

export interface ParseOptions {
  /** The namespace of objects that do not set metadata.namespace. */
  defaultNamespace: string;
  /** Files larger than this (UTF-8 bytes) are not read; default 10 MB. */
  maxBytes?: number;
  /** What the file's reader saw before the text (decodeManifestBytes gives it). */
  source?: FileSource;
}

/** Where the size limit is set, for the message that says how to raise it. */
export const MAX_FILE_SIZE_SETTINGS = `\`maxFileSize\` in ${CONFIG_FILE_NAME}, \`--max-file-size\` for kni, or the \`${SETTINGS_SECTION}.maxFileSize\` setting`;

export interface ParsedFile {
  file: string;
  objects: ModelObject[];
  findings: Finding[];
  lines: LineIndex;
  /** True when the file was skipped as a Helm/Go template. */
  hasTemplates: boolean;
}

export { DEFAULT_MAX_BYTES };

interface SyntaxProblem {
  reason: string;
  /** Relative to the chunk; -1 when the parser gave none. */
  position: number;
}

interface Chunk {
  /** Offset of the chunk in the file text. */
  base: number;
  end: number;
  docs: YAMLNode[];
  /** Syntax errors, positions relative to the chunk. */
  errors: SyntaxProblem[];
  /** Set when the parser itself threw (e.g. nesting deeper than the stack). */
  failure?: string;
  /** A key is written twice in some mapping. */
  duplicates: boolean;
}

/** Parse one manifest file (YAML or JSON). Never throws on bad input: problems come back as findings. */
export function parseManifestFile(file: string, text: string, options: ParseOptions): ParsedFile {
  const result: ParsedFile = { file, objects: [], findings: [], lines: new LineIndex(text), hasTemplates: false };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = options.source?.bytes ?? utf8Length(text, maxBytes);
  if (size > maxBytes) {
    result.findings.push(
      finding(
        'manifest-too-large',
        'error',
        { file, start: 0, end: 0 },
        `${file} (${formatBytes(size)}) is larger than ${formatBytes(maxBytes)}, the size limit for a manifest file; it was not read. Split it into smaller files, or raise the limit (${MAX_FILE_SIZE_SETTINGS}).`,
      ),
    );
    return result;
  }
  if (options.source) encodingFindings(file, text, options.source, result.findings);

  const chunks = parseChunks(text);

  if (text.includes('{{')) {
    const template = templateAt(file, text, chunks);
    if (template) {
      result.hasTemplates = true;
      result.findings.push(
        finding(
          'manifest-template',
          'info',
          { file, start: template.at, end: template.at + 2 },
          `${file} looks like a Helm/Go template (${TEMPLATE_REASONS[template.why]}), not plain YAML; it was not read. Render it (helm template) and lint the output.`,
        ),
      );
      return result;
    }
  }

  // Document numbers: each "---" piece is at least one document (an empty one too).
  let doc = 0;
  for (const chunk of chunks) {
    const first = doc;
    doc += Math.max(chunk.docs.length, 1);
    if (chunk.failure !== undefined || chunk.errors.length > 0) {
      result.findings.push(syntaxFinding(file, text, chunk));
      continue;
    }
    for (let i = 0; i < chunk.docs.length; i++) {
      const root = chunk.docs[i];
      const ctx = new DocContext(file, text, chunk.base, root.endPosition - root.startPosition, chunk.duplicates);
      const before = result.objects.length;
      try {
        readDocument(ctx, root, first + i, options.defaultNamespace, result.objects);
      } catch (e) {
        result.objects.length = before;
        result.findings.push(documentFailure(file, text, chunk, root, e));
        continue;
      }
      for (const bad of ctx.invalid) result.findings.push(invalidValueFinding(bad, result.objects, before));
    }
  }
  return result;
}

// ---------------------------------------------------------------- chunks

/** Offsets where documents start: the text's start (after a BOM) and every "---" line. */
function separators(text: string, start: number): number[] {
  const out = [start];
  for (let i = text.indexOf('\n---', start); i >= 0; i = text.indexOf('\n---', i + 4)) {
    const c = text.charCodeAt(i + 4);
    // "---" then a blank, a line end or the end of the text ("----" is content).
    if (Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13) out.push(i + 1);
  }
  return out;
}

/** The pieces of a file each parsed on its own: [start, end) offset pairs. */
export function documentPieces(text: string): number[] {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const cuts = separators(text, start);
  const pieces: number[] = [];
  for (let i = 0; i < cuts.length; i++) {
    const base = cuts[i];
    const end = i + 1 < cuts.length ? cuts[i + 1] : text.length;
    // A first piece with only comments and blanks (before the first "---") is not a document.
    if (i === 0 && cuts.length > 1 && !hasContent(text, base, end)) continue;
    pieces.push(base, end);
  }
  return pieces;
}

function parseChunks(text: string): Chunk[] {
  const pieces = documentPieces(text);
  const chunks: Chunk[] = [];
  for (let i = 0; i < pieces.length; i += 2) chunks.push(parseChunk(text, pieces[i], pieces[i + 1]));
  return chunks;
}

function parseChunk(text: string, base: number, end: number): Chunk {
  const chunk: Chunk = { base, end, docs: [], errors: [], duplicates: false };
  // Most documents are read by the faster reader; it hands back the ones it does not handle.
  const fast = readSingleDocument(text, base, end);
  if (fast) {
    chunk.docs.push(fast);
    return chunk;
  }
  const source = text.slice(base, end);
  try {
    safeLoadAll(source, (d) => {
      if (d) chunk.docs.push(d);
    });
  } catch (e) {
    chunk.failure = e instanceof RangeError ? 'it is nested too deeply to read' : `the YAML parser failed (${String(e)})`;
    return chunk;
  }
  const errors = chunk.docs[0]?.errors ?? [];
  for (const e of errors) {
    const position = e.mark ? e.mark.position : -1;
    if (e.isWarning) {
      // The parser only warns about a tab in indentation and then reads the
      // line as if it were not indented: a wrong structure. YAML (and
      // Kubernetes) reject it, so it is an error here. Tabs elsewhere are fine.
      if (e.reason.startsWith('Using tabs') && tabIndents(source, position) && !inFlow(chunk.docs, source, position)) {
        chunk.errors.push({ reason: 'a tab is used for indentation (YAML allows only spaces there)', position });
      }
      continue;
    }
    // A key written twice is not a syntax error here: Kubernetes' YAML-to-JSON
    // step keeps the last one, and so does the reader (DocContext dedupe).
    if (e.reason === 'duplicate key') chunk.duplicates = true;
    else chunk.errors.push({ reason: e.reason || e.message, position });
  }
  chunk.errors.sort((a, b) => a.position - b.position);
  return chunk;
}

/** True when the tab at `at` is in a line's indentation and the line has content after it. */
function tabIndents(source: string, at: number): boolean {
  if (at < 0 || source.charCodeAt(at) !== 9) return false;
  let i = at;
  while (i > 0) {
    const c = source.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    if (c !== 32 && c !== 9) return false;
    i--;
  }
  let j = at;
  while (source.charCodeAt(j) === 32 || source.charCodeAt(j) === 9) j++;
  const c = source.charCodeAt(j);
  return !(Number.isNaN(c) || c === 10 || c === 13 || c === 35 /* # */);
}

/** True when an offset is inside a flow collection ({...} or [...], JSON), where tabs may lead a line. */
function inFlow(docs: YAMLNode[], source: string, at: number): boolean {
  for (const doc of docs) {
    let n: YAMLNode | undefined = doc;
    while (n && at >= n.startPosition && at < n.endPosition) {
      const first = source.charCodeAt(n.startPosition);
      if ((n.kind === MAP || n.kind === SEQ) && (first === 123 /* { */ || first === 91) /* [ */) return true;
      let next: YAMLNode | undefined;
      if (n.kind === MAP) {
        for (const m of n.mappings ?? []) {
          if (at < m.startPosition || at >= m.endPosition) continue;
          next = m.value && at >= m.value.startPosition ? m.value : m.key;
          break;
        }
      } else if (n.kind === SEQ) {
        for (const item of (n as unknown as { items: YAMLNode[] }).items) {
          if (item && at >= item.startPosition && at < item.endPosition) {
            next = item;
            break;
          }
        }
      }
      n = next;
    }
  }
  return false;
}

function hasContent(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35 /* # */) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? end : nl + 1;
    } else return true;
  }
  return false;
}

// ---------------------------------------------------------------- templates

type TemplateReason = 'outside' | 'chart' | 'helm';

const TEMPLATE_REASONS: Readonly<Record<TemplateReason, string>> = {
  outside: '"{{" outside a string value',
  chart: "a {{ }} action in a chart's templates/ folder",
  helm: "a {{ }} action naming Helm's values or release",
};

/** A file in a Helm chart's templates folder (Helm renders every file there, comments and strings included). */
const CHART_TEMPLATE_PATH = /(^|[\\/])templates[\\/]/;

/**
 * An action that only Helm renders: its built-in objects (.Values, .Release,
 * .Chart, .Capabilities, .Files, also through $) or its own functions
 * (include, tpl, required). Prometheus and Alertmanager templates use
 * .Labels, .Alerts, range, template "name": never these.
 */
const HELM_ACTION = /^\{\{-?[^}]*?(?:\$?\.(?:Values|Release|Chart|Capabilities|Files)\b|\b(?:include|required)\s+"|\btpl\s)/;

/**
 * The first "{{" that makes the file a Helm/Go template, and why: one outside
 * a scalar or a comment (the YAML is not the YAML that gets applied), any in
 * a chart's templates/ folder, or one inside a string naming Helm's objects
 * (`app: "{{ .Release.Name }}"` parses, but is not the selector that gets
 * applied). Every other "{{" is part of a string value (Prometheus or
 * Alertmanager templates in a ConfigMap), which is plain YAML.
 */
function templateAt(file: string, text: string, chunks: Chunk[]): { at: number; why: TemplateReason } | undefined {
  const spans: number[] = []; // start, end pairs, file offsets
  const comments = new Set<number>(); // the starts of the spans that are comments
  const failed: number[] = []; // chunks the parser could not read: start, end
  for (const chunk of chunks) {
    if (chunk.failure !== undefined) {
      failed.push(chunk.base, chunk.end);
      continue;
    }
    for (const doc of chunk.docs) {
      for (const c of doc.comments ?? []) {
        spans.push(c.startPosition + chunk.base, c.endPosition + chunk.base);
        comments.add(c.startPosition + chunk.base);
      }
      collectScalarSpans(doc, chunk.base, spans);
    }
  }
  const starts: number[] = [];
  const order = Array.from({ length: spans.length / 2 }, (_, i) => i).sort((a, b) => spans[2 * a] - spans[2 * b]);
  const ends: number[] = [];
  // Spans never overlap partially (scalars and comments are disjoint), so a
  // sorted list of starts plus a binary search finds the one that could contain an offset.
  for (const i of order) {
    starts.push(spans[2 * i]);
    ends.push(spans[2 * i + 1]);
  }
  const inChart = CHART_TEMPLATE_PATH.test(file);
  let inside: { at: number; why: TemplateReason } | undefined;
  for (let at = text.indexOf('{{'); at >= 0; at = text.indexOf('{{', at + 2)) {
    if (insideFailed(at, failed)) return { at, why: 'outside' };
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= at) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || at + 2 > ends[found]) return { at, why: 'outside' };
    if (inside) continue;
    if (inChart && /^\{\{[^}]*\}\}/.test(text.slice(at, at + 400))) inside = { at, why: 'chart' };
    else if (!comments.has(starts[found]) && HELM_ACTION.test(text.slice(at, Math.min(ends[found], at + 400)))) inside = { at, why: 'helm' };
  }
  return inside;
}

function insideFailed(at: number, failed: number[]): boolean {
  for (let i = 0; i < failed.length; i += 2) if (at >= failed[i] && at < failed[i + 1]) return true;
  return false;
}

/** Every scalar's span (keys and values), walking the tree without following aliases. */
function collectScalarSpans(root: YAMLNode, base: number, out: number[]): void {
  const stack: YAMLNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) continue;
    switch (n.kind) {
      case SCALAR:
        if ((n as YAMLScalar).value !== '' || n.endPosition > n.startPosition) out.push(n.startPosition + base, n.endPosition + base);
        break;
      case MAP:
        for (const m of n.mappings ?? []) {
          if (m.key) stack.push(m.key);
          if (m.value) stack.push(m.value);
        }
        break;
      case SEQ:
        for (const item of (n as unknown as { items: YAMLNode[] }).items) stack.push(item);
        break;
      case ANCHOR_REF:
        break;
    }
  }
}

// ---------------------------------------------------------------- findings

function finding(rule: ParseRuleId, severity: Finding['severity'], loc: Loc, message: string): Finding {
  return { rule, severity, message, loc, related: [], fixes: [] };
}

function invalidValueFinding(bad: InvalidValue, objects: readonly ModelObject[], from: number): Finding {
  const f = finding('manifest-invalid-value', 'error', bad.loc, bad.message);
  // The object the value belongs to: the innermost one (a List item) whose span holds it.
  for (let i = objects.length - 1; i >= from; i--) {
    const o = objects[i];
    const loc = o.origin.loc;
    if (loc && loc.start <= bad.loc.start && bad.loc.end <= loc.end) {
      f.object = { kind: o.kind, namespace: o.namespace, name: o.name };
      break;
    }
  }
  if (bad.fix) f.fixes.push({ title: bad.fix.title, edits: [{ loc: bad.loc, newText: bad.fix.newText }], preferred: true });
  return f;
}

function syntaxFinding(file: string, text: string, chunk: Chunk): Finding {
  if (chunk.failure !== undefined) {
    return finding('yaml-syntax', 'error', { file, start: chunk.base, end: chunk.base }, `This YAML document could not be parsed: ${chunk.failure}. It was skipped; simplify it.`);
  }
  const e = chunk.errors[0];
  let at = e.position >= 0 ? e.position + chunk.base : chunk.base;
  at = Math.min(Math.max(at, chunk.base), chunk.end);
  const c = text.charCodeAt(at);
  const end = at < text.length && c !== 10 && c !== 13 ? at + 1 : at;
  const reason = e.reason;
  const n = chunk.errors.length - 1;
  const more = n > 0 ? ` (${n} more error${n > 1 ? 's' : ''} after it)` : '';
  return finding('yaml-syntax', 'error', { file, start: at, end }, `YAML syntax error: ${reason}${more}. This document was skipped; fix the YAML here.`);
}

function documentFailure(file: string, text: string, chunk: Chunk, root: YAMLNode, e: unknown): Finding {
  if (e instanceof AliasLimitError) {
    return finding(
      'yaml-alias-limit',
      'error',
      { file, start: e.at, end: aliasEnd(text, e.at) },
      'This document\'s YAML aliases (*name) and merge keys (<<) expand to far more values than it contains (a "billion laughs"); it was skipped. Write the values out instead of nesting aliases.',
    );
  }
  const start = root.startPosition + chunk.base;
  const reason = e instanceof RangeError ? 'it is nested too deeply to read' : `reading it failed (${String(e)})`;
  return finding('yaml-syntax', 'error', { file, start, end: start }, `This YAML document could not be read: ${reason}. It was skipped; simplify it.`);
}

function aliasEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && !/[\s,\]}]/.test(text[end])) end++;
  return end;
}

// ---------------------------------------------------------------- encoding

/** At most this many lines with undecodable bytes get a finding of their own; the last one counts the rest. */
const MAX_ENCODING_FINDINGS = 10;

function encodingFindings(file: string, text: string, source: FileSource, out: Finding[]): void {
  if ((source.encoding === 'utf-16le' || source.encoding === 'utf-16be') && !source.bom) {
    // kubectl (go-yaml) recognises UTF-16 only by its byte order mark; without one it reads zero bytes and fails.
    // Information only: the file is read in full here; the advice is for the day it meets kubectl.
    out.push(
      finding(
        'manifest-encoding',
        'info',
        { file, start: 0, end: 0 },
        `${file} is ${source.encoding.toUpperCase()} without a byte order mark: it is read here, but kubectl cannot read it. Save it as UTF-8.`,
      ),
    );
  }
  const invalid = source.invalidAt ?? [];
  if (invalid.length === 0) return;
  const lines = new LineIndex(text);
  const byLine: number[] = []; // the first invalid offset of each line that has one
  let lastLine = -1;
  for (const at of invalid) {
    const line = lines.positionAt(at).line;
    if (line !== lastLine) byLine.push(at);
    lastLine = line;
  }
  const name = source.encoding === 'utf-8' || source.encoding === undefined ? 'UTF-8' : source.encoding.toUpperCase();
  const shown = byLine.length > MAX_ENCODING_FINDINGS ? MAX_ENCODING_FINDINGS - 1 : byLine.length;
  for (let i = 0; i < shown; i++) {
    const at = byLine[i];
    out.push(
      finding(
        'manifest-encoding',
        'error',
        { file, start: at, end: at + 1 },
        `Bytes that are not valid ${name} on this line (read as U+FFFD, the replacement character): kubectl rejects the file. Save it as ${name}, or retype the characters here.`,
      ),
    );
  }
  if (shown < byLine.length) {
    const at = byLine[shown];
    out.push(
      finding(
        'manifest-encoding',
        'error',
        { file, start: at, end: at + 1 },
        `Bytes that are not valid ${name} here and on ${byLine.length - shown - 1} more line${byLine.length - shown - 1 === 1 ? '' : 's'} after it: kubectl rejects the file. Save it as ${name}.`,
      ),
    );
  }
}

// ---------------------------------------------------------------- size

/** The UTF-8 length of a text, or a number over `limit` as soon as it is known to be over. */
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > limit) return bytes;
  }
  return bytes;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
