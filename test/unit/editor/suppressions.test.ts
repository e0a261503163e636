// "Disable <rule> for this document": where the comment goes.
import assert from 'node:assert/strict';
import { disableDocumentEdit, documentStart, supportsComments } from '../../../src/extension/suppressions';

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
    const out = apply(text, disableDocumentEdit(text, text.indexOf('name: b'), 'r-1'));
    assert.equal(out, 'kind: A\n---\n# kni-disable r-1\nkind: B\nmetadata:\n  name: b\n--- # third\nkind: C\n');
    const third = apply(text, disableDocumentEdit(text, text.indexOf('kind: C'), 'r-1'));
    assert.equal(third, 'kind: A\n---\nkind: B\nmetadata:\n  name: b\n--- # third\n# kni-disable r-1\nkind: C\n');
  });

  it('adds the id to a kni-disable comment already at the top of the document', () => {
    const text = '---\n# the web app\n# kni-disable rule-a\nkind: B\n';
    assert.equal(apply(text, disableDocumentEdit(text, text.indexOf('kind'), 'rule-b')), '---\n# the web app\n# kni-disable rule-a, rule-b\nkind: B\n');
    assert.equal(disableDocumentEdit('# kni-disable rule-a\nkind: B\n', 12, 'rule-a'), undefined, 'already silenced: no edit');
  });

  it('does not mistake a kni-disable-next-line comment for a document one', () => {
    const text = '# kni-disable-next-line rule-a\nkind: B\n';
    assert.equal(apply(text, disableDocumentEdit(text, text.indexOf('kind'), 'rule-a')), '# kni-disable rule-a\n' + text);
  });

  it('keeps CRLF line ends and a leading BOM', () => {
    const text = '\ufeffkind: A\r\n---\r\nkind: B\r\n';
    assert.equal(apply(text, disableDocumentEdit(text, 1, 'r')), '\ufeff# kni-disable r\r\nkind: A\r\n---\r\nkind: B\r\n');
    assert.equal(apply(text, disableDocumentEdit(text, text.indexOf('kind: B'), 'r')), '\ufeffkind: A\r\n---\r\n# kni-disable r\r\nkind: B\r\n');
  });

  it('finds document starts and knows JSON has no comments', () => {
    const text = 'a: 1\n---\nb: 2\n';
    assert.equal(documentStart(text, 2), 0);
    assert.equal(documentStart(text, text.indexOf('b')), text.indexOf('b'));
    assert.equal(supportsComments('x/svc.json'), false);
    assert.equal(supportsComments('x/svc.yaml'), true);
  });
});
