// The source files a Kustomize render reads, parsed once with offsets: base
// resources, patch files, kustomization files, and the patches written inline
// in a kustomization (`patch: |`), whose offsets lead back into the
// kustomization file.
import { readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';

/** YAML text parsed into documents, with the way from its offsets to a file's. */
export interface ParsedText {
  /** The file the text is in, as locations name it (relative to the render's folder, '/'-separated). */
  file: string;
  text: string;
  docs: Document.Parsed[];
  /** An offset of `text` as an offset of the file. */
  toFile(offset: number): number;
  /** False for an inline patch written as a quoted string: its offsets only lead to the string's start. */
  exact: boolean;
}

export class SourceFiles {
  private readonly raw = new Map<string, string | null>();
  private readonly parsed = new Map<string, ParsedText | null>();
  private readonly inline = new WeakMap<Node, ParsedText | null>();
  /** Display name -> text, of every file read. */
  readonly texts = new Map<string, string>();

  constructor(readonly base: string) {}

  /** The name locations use for an absolute path: relative to the render's folder, '/'-separated. */
  display(abs: string): string {
    const rel = relative(this.base, abs);
    return sep === '/' ? rel : rel.split(sep).join('/');
  }

  /** A file's text, recorded as read by the render; undefined when it is no readable file. */
  text(abs: string): string | undefined {
    const known = this.raw.get(abs);
    if (known !== undefined) return known ?? undefined;
    let text: string | undefined;
    try {
      if (statSync(abs).isFile()) text = readFileSync(abs, 'utf8');
    } catch {
      // Unreadable: Kustomize says why.
    }
    this.raw.set(abs, text ?? null);
    if (text !== undefined) this.texts.set(this.display(abs), text);
    return text;
  }

  /** The file at an absolute path, parsed (on first use); undefined when it cannot be read. */
  read(abs: string): ParsedText | undefined {
    const known = this.parsed.get(abs);
    if (known !== undefined) return known ?? undefined;
    const text = this.text(abs);
    const result: ParsedText | undefined =
      text === undefined ? undefined : { file: this.display(abs), text, docs: parseAllDocuments(text, { uniqueKeys: false }) as Document.Parsed[], toFile: (o) => o, exact: true };
    this.parsed.set(abs, result ?? null);
    return result;
  }

  /** A kustomization's inline YAML (`patch: |`), parsed once however many objects it is tried on. */
  embedded(host: ParsedText, node: Node): ParsedText | undefined {
    const known = this.inline.get(node);
    if (known !== undefined) return known ?? undefined;
    const parsed = embedded(host, node);
    this.inline.set(node, parsed ?? null);
    return parsed;
  }
}

export function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

export function exists(abs: string): boolean {
  try {
    statSync(abs);
    return true;
  } catch {
    return false;
  }
}

/**
 * The YAML written in a string value of a kustomization (`patch: |-` and its
 * indented lines) as its own parsed text, offsets leading back to the lines of
 * the kustomization file.
 */
export function embedded(host: ParsedText, node: Node): ParsedText | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const value = node.value;
  const start = host.toFile(node.range[0]);
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  if (!block || !host.exact) {
    return { file: host.file, text: value, docs: parseAllDocuments(value, { uniqueKeys: false }) as Document.Parsed[], toFile: () => start, exact: false };
  }
  const text = host.text;
  const header = text.indexOf('\n', start);
  if (header < 0) return undefined;
  const end = host.toFile(node.range[1]);
  let indent = -1;
  // Lines of the block: [start of line in the file, its text].
  const lines: [number, string][] = [];
  for (let at = header + 1; at < end; ) {
    const nl = text.indexOf('\n', at);
    const stop = nl < 0 || nl > end ? end : nl;
    const line = text.slice(at, stop).replace(/\r$/, '');
    lines.push([at, line]);
    if (indent < 0 && line.trim() !== '') indent = line.length - line.trimStart().length;
    at = stop + 1;
  }
  if (indent < 0) indent = 0;
  // The text is the block's lines without their indentation (what Kustomize parses as the patch).
  const starts: number[] = [];
  const fileStarts: number[] = [];
  let out = '';
  for (const [at, line] of lines) {
    starts.push(out.length);
    fileStarts.push(at + indent);
    out += line.slice(Math.min(indent, line.length - line.trimStart().length)) + '\n';
  }
  const toFile = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return starts.length === 0 ? start : fileStarts[lo] + (offset - starts[lo]);
  };
  return { file: host.file, text: out, docs: parseAllDocuments(out, { uniqueKeys: false }) as Document.Parsed[], toFile, exact: true };
}

/** The objects a resource file holds: its documents, and the items of a `kind: List` (Kustomize renders each). */
export function objectNodes(parsed: ParsedText): Node[] {
  return parsed.docs.flatMap((d) => {
    const root = d.contents;
    if (!isMap(root)) return [];
    const kind: unknown = root.get('kind');
    const items: unknown = root.get('items', true);
    if (typeof kind === 'string' && kind.endsWith('List') && isSeq(items)) return (items.items as Node[]).filter((n) => isMap(n));
    return [root as Node];
  });
}
