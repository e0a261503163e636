// Suppression comments, read from the raw text (comments are not in the model):
//
//   # kni-disable-next-line <id>[, <id>...]   silences the rules on the next line
//                                            that is not blank or a comment (so
//                                            several such comments can stack);
//                                            without ids, every rule
//   # kni-disable <id>[, <id>...]            before any content of a document:
//                                            silences the rules in that document
//
// Only whole-line comments count. An id the catalogue does not know is itself
// a finding (unknown-rule-id) at the id. JSON files have no comments.
// suppression-edits.ts writes these comments.
import type { Finding } from '../findings/types';
import type { Loc } from '../model/types';
import { isKnownRule, RULES, type RuleId } from '../rules/catalogue';
import { effectiveSeverity, similarNames } from '../rules/context';
import type { KniConfig } from '../config/types';

/** The comment word that silences rules in a whole YAML document. */
export const DISABLE_DOCUMENT = 'kni-disable';
/** The comment word that silences rules on the next line. */
export const DISABLE_NEXT_LINE = `${DISABLE_DOCUMENT}-next-line`;

/** A comment without ids silences every rule. */
const ALL = '*';

type Silenced = RuleId | typeof ALL;

export interface Suppressions {
  /** 1-based line -> rule ids silenced there. */
  lines: Map<number, Set<Silenced>>;
  /** Document ranges [start, end) with the ids silenced in them. */
  documents: { start: number; end: number; ids: Set<Silenced> }[];
  /** unknown-rule-id findings for the comments. */
  findings: Finding[];
}

const NONE: Suppressions = { lines: new Map(), documents: [], findings: [] };

const DIRECTIVE = new RegExp(`^#\\s*${DISABLE_DOCUMENT}(-next-line)?(?=\\s|$)(.*)$`);

export function readSuppressions(file: string, text: string, config: KniConfig): Suppressions {
  if (!text.includes(DISABLE_DOCUMENT)) return NONE;
  const result: Suppressions = { lines: new Map(), documents: [], findings: [] };
  let pendingNext: Set<Silenced> | undefined;
  let docStart = 0;
  let docHasContent = false;
  let docIds: Set<Silenced> | undefined;
  let lineNo = 0;
  let pos = 0;
  const closeDoc = (end: number) => {
    if (docIds && docIds.size > 0) result.documents.push({ start: docStart, end, ids: docIds });
    docIds = undefined;
  };
  while (pos <= text.length) {
    lineNo++;
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const lineEnd = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    const line = text.slice(pos, lineEnd);
    const trimmed = line.trimStart();
    const indent = line.length - trimmed.length;
    if (/^---(\s|$)/.test(line)) {
      closeDoc(pos);
      docStart = pos;
      docHasContent = false;
      pendingNext = undefined;
    } else if (trimmed.startsWith('#')) {
      const m = DIRECTIVE.exec(trimmed);
      if (m) {
        const idsStart = pos + indent + trimmed.length - m[2].length;
        const ids = readIds(file, m[2], idsStart, config, result.findings);
        if (m[1]) {
          pendingNext ??= new Set();
          for (const id of ids) pendingNext.add(id);
        } else if (!docHasContent) {
          docIds ??= new Set();
          for (const id of ids) docIds.add(id);
        }
      }
    } else if (trimmed.length > 0) {
      if (!/^\.\.\.(\s|$)/.test(trimmed)) docHasContent = true;
      if (pendingNext) {
        result.lines.set(lineNo, pendingNext);
        pendingNext = undefined;
      }
    }
    if (eol >= text.length) break;
    pos = eol + 1;
  }
  closeDoc(text.length + 1);
  return result;
}

function readIds(file: string, rest: string, start: number, config: KniConfig, out: Finding[]): Silenced[] {
  // Anything after " -- " is a free-text reason.
  const reasonAt = rest.indexOf(' -- ');
  const list = reasonAt >= 0 ? rest.slice(0, reasonAt) : rest;
  const ids: Silenced[] = [];
  const re = /[^\s,]+/g;
  for (let m = re.exec(list); m; m = re.exec(list)) {
    const id = m[0];
    if (isKnownRule(id)) {
      ids.push(id);
      continue;
    }
    const severity = effectiveSeverity(config, 'unknown-rule-id');
    if (!severity) continue;
    const loc: Loc = { file, start: start + m.index, end: start + m.index + id.length };
    const similar = RULES.filter((r) => similarNames(r.id, id) || r.id.startsWith(id));
    out.push({
      rule: 'unknown-rule-id',
      severity,
      message: `"${id}" is not a kni rule id, so this comment silences nothing for it.${similar.length === 1 ? ` Did you mean ${similar[0].id}?` : ' See the rules list in the README for the ids.'}`,
      loc,
      related: [],
      fixes: similar.length === 1 ? [{ title: `Change to ${similar[0].id}`, edits: [{ loc, newText: similar[0].id }], preferred: true }] : [],
    });
  }
  return ids.length === 0 && list.trim() === '' ? [ALL] : ids;
}

/** Whether a finding at `offset` (on 1-based `line`) for `rule` is silenced. */
export function isSuppressed(s: Suppressions, rule: RuleId, offset: number, line: number): boolean {
  if (rule === 'unknown-rule-id') return false;
  const ids = s.lines.get(line);
  if (ids && (ids.has(rule) || ids.has(ALL))) return true;
  for (const d of s.documents) {
    if (offset >= d.start && offset < d.end && (d.ids.has(rule) || d.ids.has(ALL))) return true;
  }
  return false;
}

export function hasSuppressions(s: Suppressions): boolean {
  return s.lines.size > 0 || s.documents.length > 0;
}
