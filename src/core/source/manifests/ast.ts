// Reading @stoplight/yaml-ast-parser nodes (or fast-yaml.ts's, which have the
// same shape) without turning them into plain JS: every value keeps its
// offsets, so a model field can say where it is written.
//
// The reader is targeted: it looks only at the fields the network model uses,
// and visits each mapping entry / sequence item once per read. Aliases are
// followed on demand, so a document's work is linear in its length unless
// aliases (or `<<` merge keys) make the reader go over the same nodes again
// and again; `work` counts every entry, item and alias the reader goes
// through, and a document whose work passes its bound (its length plus
// ALIAS_WORK_BASE) is abandoned with `yaml-alias-limit`.
import type { YAMLNode, YAMLMapping, YAMLScalar, YAMLSequence, YamlMap } from '@stoplight/yaml-ast-parser';
import type { Loc, Protocol } from '../../model/types';

// yaml-ast-parser's Kind enum values (kept as numbers: no enum object lookups).
export const SCALAR = 0;
export const MAP = 2;
export const SEQ = 3;
export const ANCHOR_REF = 4;

/** Reads allowed per document on top of its own length before aliases count as a bomb. */
export const ALIAS_WORK_BASE = 100_000;

/** Thrown inside a document read when aliases blow up the work; caught per document. */
export class AliasLimitError extends Error {
  constructor(readonly at: number) {
    super('alias expansion limit');
  }
}

export type Node = YAMLNode | null | undefined;

/** A value the API server would reject, found while reading (becomes a `manifest-invalid-value` finding). */
export interface InvalidValue {
  loc: Loc;
  message: string;
  /** A replacement for the value at `loc`, when there is one clear fix. */
  fix?: { title: string; newText: string };
}

/** Per-document read state. Node offsets are relative to the parsed chunk; `base` makes them file offsets. */
export class DocContext {
  work = 0;
  readonly invalid: InvalidValue[] = [];
  /**
   * Set while reading an object when a value makes the API server refuse to
   * decode it at all (a selector written as a list, no name): the object is
   * left out of the model, so no rule reasons about an object that cannot exist.
   */
  objectRejected = false;
  readonly limit: number;
  /** While expanding `<<` merge keys: how deep, and where the outermost expansion is written. */
  private mergeDepth = 0;
  private expandingAt = 0;
  /** The first alias this document's read followed: where a blow-up through plain aliases is reported. */
  private firstAliasAt = -1;

  constructor(
    readonly file: string,
    /** The whole original file text (offsets are into it). */
    readonly text: string,
    /** Offset of the parsed chunk within the file text. */
    readonly base: number,
    docLength: number,
    /** The document has a key written twice in a mapping: keep only the last one (as Kubernetes does). */
    private readonly dedupe = false,
  ) {
    this.limit = ALIAS_WORK_BASE + docLength;
  }

  /**
   * The span of a node, trailing line breaks and blanks trimmed (block scalars
   * end after their newline), within the text: the parser ends a node one past
   * the text when the file ends inside it (a null value or a lone `-` without
   * a final newline), and a range past the end is invalid to an editor.
   */
  loc(node: YAMLNode): Loc {
    const text = this.text;
    let end = Math.min(node.endPosition + this.base, text.length);
    const start = Math.min(node.startPosition + this.base, end);
    while (end > start) {
      const c = text.charCodeAt(end - 1);
      if (c === 10 || c === 13 || c === 32 || c === 9) end--;
      else break;
    }
    return { file: this.file, start, end };
  }

  /** The node an alias points at (an alias's target may itself be an alias). */
  deref(node: Node): YAMLNode | undefined {
    let n = node;
    while (n && n.kind === ANCHOR_REF) {
      if (this.firstAliasAt < 0) this.firstAliasAt = n.startPosition;
      this.charge(1, n);
      n = n.value as YAMLNode | undefined;
    }
    return n ?? undefined;
  }

  charge(amount: number, node: YAMLNode): void {
    this.work += amount;
    if (this.work > this.limit) {
      // Point at what the document asked to expand, not deep inside an anchor.
      let at = (this.mergeDepth > 0 ? this.expandingAt : this.firstAliasAt >= 0 ? this.firstAliasAt : node.startPosition) + this.base;
      if (at > 0 && this.text.charCodeAt(at - 1) === 42 /* * */) at--;
      throw new AliasLimitError(at);
    }
  }

  /**
   * A mapping's entries (aliases followed). `<<` merge keys are expanded in
   * place: merged entries come before the mapping's own ones, so a caller that
   * assigns fields in order lets the mapping's own keys win, as YAML says.
   */
  entries(node: Node): readonly YAMLMapping[] | undefined {
    const n = this.deref(node);
    if (!n || n.kind !== MAP) return undefined;
    const mappings = (n as YamlMap).mappings;
    this.charge(mappings.length, n);
    let merges = false;
    for (let i = 0; i < mappings.length; i++) {
      const k = mappings[i].key;
      if (k && k.kind === SCALAR && k.value === '<<' && k.plainScalar) {
        merges = true;
        break;
      }
    }
    if (!merges) return this.dedupe ? lastOfEachKey(mappings) : mappings;
    if (this.mergeDepth === 0) this.expandingAt = (node as YAMLNode).startPosition;
    this.mergeDepth++;
    try {
      return this.merged(mappings);
    } finally {
      this.mergeDepth--;
    }
  }

  private merged(mappings: readonly YAMLMapping[]): YAMLMapping[] {
    // Later sources first, then earlier ones, then the mapping's own entries;
    // keeping the last entry of each key then gives YAML's precedence.
    const out: YAMLMapping[] = [];
    const add = (list: readonly YAMLMapping[] | undefined) => {
      if (list) for (const e of list) out.push(e);
    };
    for (const m of mappings) {
      const k = m.key;
      if (!(k && k.kind === SCALAR && k.value === '<<' && k.plainScalar)) continue;
      const v = this.deref(m.value);
      if (v && v.kind === SEQ) {
        const sources = (v as YAMLSequence).items;
        for (let i = sources.length - 1; i >= 0; i--) add(this.entries(sources[i]));
      } else {
        add(this.entries(v));
      }
    }
    for (const m of mappings) {
      const k = m.key;
      if (!(k && k.kind === SCALAR && k.value === '<<' && k.plainScalar)) out.push(m);
    }
    this.charge(out.length, mappings[0]);
    return lastOfEachKey(out);
  }

  /** A sequence's items (aliases followed); undefined when the node is not a sequence. */
  items(node: Node): readonly YAMLNode[] | undefined {
    const n = this.deref(node);
    if (!n || n.kind !== SEQ) return undefined;
    const items = (n as YAMLSequence).items;
    this.charge(items.length, n);
    return items;
  }

  /** True when the node (after aliases) is a mapping. */
  isMap(node: Node): boolean {
    const n = this.deref(node);
    return n !== undefined && n.kind === MAP;
  }

  /** True when the field is written with a real value (not missing, not null). */
  present(node: Node): boolean {
    const n = this.deref(node);
    if (!n) return false;
    if (n.kind === SCALAR) return !isNullScalar(n as YAMLScalar);
    return true;
  }

  /** A scalar's text; undefined for null, a missing value or a collection. */
  str(node: Node): string | undefined {
    const n = this.deref(node);
    if (!n || n.kind !== SCALAR) return undefined;
    const s = n as YAMLScalar;
    if (isNullScalar(s)) return undefined;
    return s.value;
  }

  /**
   * An integer written as a plain (unquoted) number the API can decode into
   * its int32 fields; undefined otherwise (a float, 1e20, a number past
   * 2147483647, which JavaScript would also round past 2^53).
   */
  int(node: Node): number | undefined {
    const n = this.deref(node);
    if (!n || n.kind !== SCALAR) return undefined;
    const s = n as YAMLScalar;
    return s.plainScalar && isInt32(s) ? (s.valueObject as number) : undefined;
  }

  /**
   * An integer field the API requires to be a number: as int(), and a value
   * written otherwise (a quoted "80", a word) is reported as rejected.
   */
  intField(node: Node, what: string): number | undefined {
    const v = this.int(node);
    if (v !== undefined) return v;
    const n = this.deref(node);
    if (!n || n.kind !== SCALAR || isNullScalar(n as YAMLScalar)) return undefined;
    const text = (n as YAMLScalar).value;
    if ((n as YAMLScalar).plainScalar && typeof (n as YAMLScalar).valueObject === 'number') {
      this.invalid.push(notAnInt32(this.loc(node as YAMLNode), what, text));
      return undefined;
    }
    const digits = /^[0-9]+$/.test(text.trim()) ? text.trim() : undefined;
    this.invalid.push({
      loc: this.loc(node as YAMLNode),
      message: `${what} is ${JSON.stringify(text)}, but it must be a whole number, so the API server rejects this object; it is left out of the model. ${digits ? `Write it without quotes: ${digits}.` : 'Write the number.'}`,
      fix: digits ? { title: `Write ${digits}`, newText: digits } : undefined,
    });
    return undefined;
  }

  /**
   * An IntOrString as the API reads it: a plain number is a number; any other
   * scalar is a string (a quoted "8080" stays the string "8080"). A plain
   * number the API cannot decode as an int32 (80.5, 1e20, 2^53 + 1) is
   * reported as rejected and left out.
   */
  intOrString(node: Node, what: string): number | string | undefined {
    const n = this.deref(node);
    if (!n || n.kind !== SCALAR) return undefined;
    const s = n as YAMLScalar;
    if (isNullScalar(s)) return undefined;
    if (s.plainScalar && typeof s.valueObject === 'number') {
      if (isInt32(s)) return s.valueObject;
      this.invalid.push(notAnInt32(this.loc(node as YAMLNode), what, s.value));
      return undefined;
    }
    return s.value;
  }

  /**
   * The entries of a field that must be a mapping. Written as anything else
   * (a list, a string), the API server cannot decode the object: reported,
   * and the object is left out of the model.
   */
  mapField(node: Node, what: string): readonly YAMLMapping[] | undefined {
    const entries = this.entries(node);
    if (entries || !this.present(node)) return entries;
    const n = this.deref(node) as YAMLNode;
    const shape = n.kind === SEQ ? 'a list' : n.kind === SCALAR ? `the value ${JSON.stringify((n as YAMLScalar).value)}` : 'not a mapping';
    const loc = this.loc(node as YAMLNode);
    // The same field may be read twice (a Pod's labels are its own and its template's): reported once.
    if (!this.invalid.some((i) => i.loc.start === loc.start && i.loc.end === loc.end)) {
      this.invalid.push({
        loc,
        message: `${what} is ${shape}, but it must be a mapping (key: value lines), so the API server rejects this object; it is left out of the model. Write its entries as key: value lines${n.kind === SEQ ? ', without "- "' : ''}.`,
      });
    }
    this.objectRejected = true;
    return undefined;
  }

  bool(node: Node): boolean | undefined {
    const n = this.deref(node);
    if (!n || n.kind !== SCALAR) return undefined;
    const s = n as YAMLScalar;
    if (!s.plainScalar) return undefined;
    const v: unknown = s.valueObject;
    return typeof v === 'boolean' ? v : undefined;
  }

  /** A list of strings (non-scalar items skipped). */
  strings(node: Node): string[] {
    const out: string[] = [];
    const items = this.items(node);
    if (!items) return out;
    for (const item of items) {
      const s = this.str(item);
      if (s !== undefined) out.push(s);
    }
    return out;
  }

  /**
   * A map of string values (labels, annotations, map selectors) with where
   * each value is written. As Kubernetes reads it: a null value is "". A plain
   * value YAML types as a number, boolean or timestamp makes the API server
   * reject the object (string fields); it is read as its text and reported.
   * Collection values are skipped.
   */
  stringMap(node: Node, wantLocs: boolean, what: string): { map: Record<string, string>; locs?: Record<string, Loc> } {
    const map: Record<string, string> = {};
    const entries = this.mapField(node, `${what}s`);
    if (!entries) return { map };
    const locs: Record<string, Loc> | undefined = wantLocs ? {} : undefined;
    for (const m of entries) {
      const key = keyOf(m);
      if (key === undefined) continue;
      const n = this.deref(m.value);
      let v: string;
      if (!n) v = '';
      else if (n.kind !== SCALAR) continue;
      else {
        const s = n as YAMLScalar;
        v = s.value;
        if (s.plainScalar) {
          if (isNullScalar(s)) v = '';
          else if (typeof s.valueObject !== 'string' && s.valueObject !== undefined) this.notAString(m.value as YAMLNode, what, key, s);
          else if (YAML11_BOOLEANS.has(v)) this.notAString(m.value as YAMLNode, what, key, s);
        }
      }
      setKey(map, key, v);
      if (locs && m.value) setKey(locs, key, this.loc(m.value));
    }
    return { map, locs };
  }

  private notAString(node: YAMLNode, what: string, key: string, s: YAMLScalar): void {
    const type = typeof s.valueObject === 'number' ? 'a number' : typeof s.valueObject === 'object' ? 'a timestamp' : 'a boolean';
    const quoted = `"${s.value}"`;
    this.invalid.push({
      loc: this.loc(node),
      message: `${what} "${key}" is ${s.value}, which YAML reads as ${type}, but ${what} values are strings, so the API server rejects this object. Quote it: ${quoted}.`,
      fix: { title: `Quote it: ${quoted}`, newText: quoted },
    });
  }
}

/** The entries with each scalar key kept once, at its last occurrence, in order. */
function lastOfEachKey(mappings: readonly YAMLMapping[]): YAMLMapping[] {
  const seen = new Set<string>();
  const out: YAMLMapping[] = [];
  for (let i = mappings.length - 1; i >= 0; i--) {
    const k = mappings[i].key;
    if (k && k.kind === SCALAR) {
      if (seen.has(k.value)) continue;
      seen.add(k.value);
    }
    out.push(mappings[i]);
  }
  return out.reverse();
}

/** Plain words Kubernetes' YAML 1.1 decoder reads as booleans (YAML 1.2 and this parser read them as strings). */
const YAML11_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);

const INT32_MAX = 2 ** 31 - 1;

/** Whether a plain scalar is a whole number the API decodes into an int32: written as digits (or YAML 1.1's hex/octal), not as 80.0 or 1e3. */
function isInt32(s: YAMLScalar): boolean {
  const v: unknown = s.valueObject;
  if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > INT32_MAX) return false;
  const t = s.value.trim();
  return !t.includes('.') && !(/[eE]/.test(t) && !/^[-+]?0x/i.test(t));
}

function notAnInt32(loc: Loc, what: string, written: string): InvalidValue {
  const n = Number(written);
  const why = Number.isInteger(n) && Math.abs(n) > INT32_MAX ? `larger than any value the field holds (at most ${INT32_MAX})` : 'not written as a whole number';
  return {
    loc,
    message: `${what} is ${written}, ${why}, so the API server rejects this object; it is left out of the model. Write the number as digits${what.toLowerCase().includes('port') ? ' (a port is 1-65535)' : ''}.`,
  };
}

function isNullScalar(s: YAMLScalar): boolean {
  return s.plainScalar === true && (s.value === '' || s.valueObject === null);
}

/** A mapping entry's key as text (keys that are collections are skipped). */
export function keyOf(m: YAMLMapping): string | undefined {
  const k = m.key;
  return k && k.kind === SCALAR ? k.value : undefined;
}

/** Set a key on a plain object, `__proto__` included, without touching the prototype. */
export function setKey<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * A protocol as written; TCP when absent; undefined (and an invalid-value
 * report) when it is not one the API accepts.
 */
export function protocolOf(ctx: DocContext, node: Node): Protocol | undefined {
  const p = ctx.str(node);
  if (p === undefined) return 'TCP';
  if (p === 'TCP' || p === 'UDP' || p === 'SCTP') return p;
  const upper = p.toUpperCase();
  const fix = upper === 'TCP' || upper === 'UDP' || upper === 'SCTP' ? upper : upper.startsWith('HTTP') || upper === 'GRPC' || upper === 'TLS' ? 'TCP' : undefined;
  ctx.invalid.push({
    loc: ctx.loc(node as YAMLNode),
    message:
      `protocol "${p}" is not one Kubernetes accepts (TCP, UDP or SCTP), so the API server rejects this object; this port is left out of the model. ` +
      (fix === 'TCP' && upper !== 'TCP' ? 'Use TCP; an application protocol goes in appProtocol or the port name (e.g. "http-web").' : `Use ${fix ?? 'TCP, UDP or SCTP'}.`),
    fix: fix ? { title: `Use ${fix}`, newText: fix } : undefined,
  });
  return undefined;
}
