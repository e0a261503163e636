// The suppression comments quick fixes write: where they go, and that the
// comment written is the one the analysis reads back.
import assert from 'node:assert/strict';
import { disableDocumentEdit, disableDocumentFix, disableFix, documentStart } from '../../../src/core/analysis/suppression-edits';
import { isSuppressed, readSuppressions } from '../../../src/core/analysis/suppressions';
import { emptyConfig } from '../../../src/core/config/types';
import { LineIndex } from '../../../src/core/text/lines';
import { allowsComments } from '../../../src/core/config/facts';
import type { Finding } from '../../../src/core/findings/types';

function apply(text: string, e: { start: number; end: number; newText: string } | undefined): string {
  assert.ok(e, 'expected an edit');
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
}

describe('document suppression edits', () => {
  it('puts the comment at the top of a single-document file', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n';
    assert.equal(apply(text, disableDocumentEdit(text, text.indexOf('name'), 'service-no-selector')), '# kni-disable service-no-selector\n' + text);
  });

  it('puts it after the --- of the document that holds the finding', () => {
    const text = 'kind: A\n---\nkind: B\nmetadata:\n  name: b\n--- # third\nkind: C\n';
    const out = apply(text, disableDocumentEdit(text, text.indexOf('name: b'), 'service-no-selector'));
    assert.equal(out, 'kind: A\n---\n# kni-disable service-no-selector\nkind: B\nmetadata:\n  name: b\n--- # third\nkind: C\n');
    const third = apply(text, disableDocumentEdit(text, text.indexOf('kind: C'), 'service-no-selector'));
    assert.equal(third, 'kind: A\n---\nkind: B\nmetadata:\n  name: b\n--- # third\n# kni-disable service-no-selector\nkind: C\n');
  });

  it('adds the id to a kni-disable comment already at the top of the document', () => {
    const text = '---\n# the web app\n# kni-disable pod-not-isolated\nkind: B\n';
    assert.equal(apply(text, disableDocumentEdit(text, text.indexOf('kind'), 'service-no-selector')), '---\n# the web app\n# kni-disable pod-not-isolated, service-no-selector\nkind: B\n');
    assert.equal(disableDocumentEdit('# kni-disable pod-not-isolated\nkind: B\n', 12, 'pod-not-isolated'), undefined, 'already silenced: no edit');
  });

  it('does not mistake a kni-disable-next-line comment for a document one', () => {
    const text = '# kni-disable-next-line pod-not-isolated\nkind: B\n';
    assert.equal(apply(text, disableDocumentEdit(text, text.indexOf('kind'), 'pod-not-isolated')), '# kni-disable pod-not-isolated\n' + text);
  });

  it('keeps CRLF line ends and a leading BOM', () => {
    const text = '\ufeffkind: A\r\n---\r\nkind: B\r\n';
    assert.equal(apply(text, disableDocumentEdit(text, 1, 'yaml-syntax')), '\ufeff# kni-disable yaml-syntax\r\nkind: A\r\n---\r\nkind: B\r\n');
    assert.equal(apply(text, disableDocumentEdit(text, text.indexOf('kind: B'), 'yaml-syntax')), '\ufeffkind: A\r\n---\r\n# kni-disable yaml-syntax\r\nkind: B\r\n');
  });

  it('finds document starts and knows JSON has no comments', () => {
    const text = 'a: 1\n---\nb: 2\n';
    assert.equal(documentStart(text, 2), 0);
    assert.equal(documentStart(text, text.indexOf('b')), text.indexOf('b'));
    assert.equal(allowsComments('x/svc.json'), false);
    assert.equal(allowsComments('x/svc.yaml'), true);
  });
});

describe('suppression fixes', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\nkind: Service\nmetadata:\n  name: b\n';
  const at = (file: string, needle: string): Finding => ({ rule: 'service-no-selector', severity: 'info', message: 'm', loc: { file, start: text.indexOf(needle), end: text.indexOf(needle) + needle.length }, related: [], fixes: [] });

  /** Applies a fix's edits and says whether the analysis then reads the finding as silenced (at its moved offset). */
  function silencedAfter(fix: Finding['fixes'][number] | undefined, f: Finding): boolean {
    assert.ok(fix);
    const [e] = fix.edits;
    const next = text.slice(0, e.loc.start) + e.newText + text.slice(e.loc.end);
    const offset = f.loc.start + (f.loc.start >= e.loc.start ? e.newText.length - (e.loc.end - e.loc.start) : 0);
    const s = readSuppressions(f.loc.file, next, emptyConfig());
    assert.deepEqual(s.findings, [], 'the comment names a known rule');
    return isSuppressed(s, f.rule, offset, new LineIndex(next).positionAt(offset).line);
  }

  it('"for this document" is a titled fix on the finding\'s file that the analysis reads back', () => {
    const f = at('k8s/svc.yaml', 'name: b');
    const fix = disableDocumentFix(f, text);
    assert.equal(fix?.title, 'Disable service-no-selector for this document');
    assert.deepEqual(fix?.edits.map((e) => e.loc.file), ['k8s/svc.yaml']);
    assert.ok(silencedAfter(fix, f));
    // The first document is left alone.
    const first = at('k8s/svc.yaml', 'name: a');
    const next = text.slice(0, fix!.edits[0].loc.start) + fix!.edits[0].newText + text.slice(fix!.edits[0].loc.end);
    assert.equal(isSuppressed(readSuppressions('k8s/svc.yaml', next, emptyConfig()), first.rule, first.loc.start, 4), false);
  });

  it('"for this line" is read back too, and neither is offered in JSON', () => {
    const f = at('k8s/svc.yaml', 'name: b');
    assert.ok(silencedAfter(disableFix(f, text, new LineIndex(text)), f));
    const json = at('k8s/svc.json', 'name: b');
    assert.equal(disableDocumentFix(json, text), undefined);
    assert.equal(disableFix(json, text, new LineIndex(text)), undefined);
  });
});
