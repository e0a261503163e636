// LineIndex: offsets <-> 1-based line/column, for LF, CRLF and lone CR.
import assert from 'node:assert/strict';
import { LineIndex } from '../../../src/core/text/lines';

describe('LineIndex', () => {
  it('maps offsets to 1-based lines and columns and back (LF)', () => {
    const text = 'ab\ncde\n\nf';
    const idx = new LineIndex(text);
    assert.equal(idx.lineCount, 4);
    assert.deepEqual(idx.positionAt(0), { line: 1, column: 1 });
    assert.deepEqual(idx.positionAt(2), { line: 1, column: 3 }, 'the line break belongs to its line');
    assert.deepEqual(idx.positionAt(3), { line: 2, column: 1 });
    assert.deepEqual(idx.positionAt(7), { line: 3, column: 1 });
    assert.deepEqual(idx.positionAt(8), { line: 4, column: 1 });
    assert.deepEqual(idx.positionAt(9), { line: 4, column: 2 }, 'the end of the text');
    for (let o = 0; o <= text.length; o++) {
      const p = idx.positionAt(o);
      assert.equal(idx.offsetAt(p.line, p.column), o, `round trip at ${o}`);
    }
  });

  it('treats CRLF as one line break and a lone CR as one too', () => {
    const idx = new LineIndex('a\r\nb\rc\n');
    assert.equal(idx.lineCount, 4);
    assert.deepEqual(idx.positionAt(3), { line: 2, column: 1 });
    assert.deepEqual(idx.positionAt(5), { line: 3, column: 1 });
    assert.equal(idx.lineEnd(1), 1, 'line 1 ends before "\\r\\n"');
    assert.equal(idx.lineEnd(2), 4);
    assert.equal(idx.lineEnd(3), 6);
    assert.equal(idx.lineEnd(4), 7);
  });

  it('clamps out-of-range input', () => {
    const idx = new LineIndex('ab\ncd');
    assert.deepEqual(idx.positionAt(-5), { line: 1, column: 1 });
    assert.deepEqual(idx.positionAt(99), { line: 2, column: 3 });
    assert.equal(idx.offsetAt(0, 1), 0);
    assert.equal(idx.offsetAt(9, 1), 5);
    assert.equal(idx.offsetAt(1, 99), 2, 'a column past the line end stops before the line break');
    assert.equal(idx.offsetAt(2, 0), 3);
  });

  it('handles an empty text', () => {
    const idx = new LineIndex('');
    assert.equal(idx.lineCount, 1);
    assert.deepEqual(idx.positionAt(0), { line: 1, column: 1 });
    assert.equal(idx.offsetAt(1, 1), 0);
  });
});
