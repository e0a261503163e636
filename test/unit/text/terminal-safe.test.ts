// Terminal-safe text: every C0/DEL/C1 control and every bidi format character
// becomes a visible escape; everything else is left alone.
import assert from 'node:assert/strict';
import { hasUnsafeCharacters, jsonTerminalSafe, safe, terminalSafe, terminalSafeBlock } from '../../../src/view-model/terminal-safe';
import { markdownCode, markdownText } from '../../../src/core/text/markdown-safe';

const BIDI = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
const controls = () => [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f, ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i)];
/** Any character a terminal could act on, or that reorders text. */
const RAW_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('text: terminal-safe', () => {
  it('every C0, DEL and C1 control becomes a visible escape of printable ASCII', () => {
    for (const code of controls()) {
      const out = terminalSafe(`a${String.fromCharCode(code)}b`);
      assert.ok(!RAW_UNSAFE.test(out), `U+${code.toString(16)} left raw: ${JSON.stringify(out)}`);
      assert.match(out, /^a\\(x[0-9a-f]{2}|u00[89][0-9a-f]|n|r|t)b$/, `U+${code.toString(16)}: ${JSON.stringify(out)}`);
      assert.ok(hasUnsafeCharacters(String.fromCharCode(code)));
    }
    assert.equal(terminalSafe('\x1b[2K\rNo problems\n'), '\\x1b[2K\\rNo problems\\n');
    assert.equal(terminalSafe('\x1b]52;c;ZXZpbA==\x07'), '\\x1b]52;c;ZXZpbA==\\x07');
    assert.equal(terminalSafe('\u009b31m'), '\\u009b31m');
    assert.equal(terminalSafe('a\tb\x7f'), 'a\\tb\\x7f');
  });

  it('bidi overrides and isolates (and marks, line separators) are shown as <U+XXXX>', () => {
    for (const code of BIDI) assert.equal(terminalSafe(`x${String.fromCharCode(code)}y`), `x<U+${code.toString(16).toUpperCase()}>y`);
    assert.equal(terminalSafe('invoice\u202Egpj.exe'), 'invoice<U+202E>gpj.exe');
    assert.equal(terminalSafe('\u200e\u200f\u061c\u2028\u2029'), '<U+200E><U+200F><U+061C><U+2028><U+2029>');
  });

  it('ordinary Unicode is untouched: letters of every script, emoji, combining marks, NBSP, zero-width joiner', () => {
    const samples = ['shop/Deployment/web', 'café', 'Ünïcödé', 'сервис', 'サービス', '服务', 'שירות', 'خدمة', '👩‍💻', 'e\u0301', 'a\u00a0b', '\u00a1\u00ff', 'C:\\path\\x1b', '€ ™ ∞'];
    for (const s of samples) {
      assert.equal(terminalSafe(s), s);
      assert.equal(hasUnsafeCharacters(s), false, s);
    }
    // Every code point from U+00A0 to U+FFFF outside the listed ranges (surrogates aside) stays.
    let changed = 0;
    for (let c = 0xa0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      if (terminalSafe(ch) !== ch) changed++;
    }
    assert.equal(changed, BIDI.length + 5);
  });

  it('a block keeps its own line breaks and escapes everything else', () => {
    assert.equal(terminalSafeBlock('one\ntwo\r\n\x1b[1m'), 'one\ntwo\\r\n\\x1b[1m');
  });

  it('the template tag escapes values, not the literal parts', () => {
    const file = 'bad\nNo problems in 1 file';
    assert.equal(safe`kni lint: ${file}: cannot read\n`, 'kni lint: bad\\nNo problems in 1 file: cannot read\n');
    assert.equal(safe`${42} ${undefined}`, '42 undefined');
  });

  it('JSON: C1 and bidi characters escaped as \\u, the same value once parsed', () => {
    const value = { name: 'a\u009b2J\u202eb\u2028c\x1b', plain: 'é' };
    const json = jsonTerminalSafe(JSON.stringify(value));
    assert.ok(!RAW_UNSAFE.test(json), json);
    assert.deepEqual(JSON.parse(json), value);
    assert.equal(json, '{"name":"a\\u009b2J\\u202eb\\u2028c\\u001b","plain":"é"}');
  });
});

describe('text: markdown-safe (hovers)', () => {
  it('a value in plain text: terminal-safe, and no link, emphasis, HTML or theme icon', () => {
    assert.equal(markdownText('Deployment shop/carts-v1.2'), 'Deployment shop/carts-v1.2');
    assert.equal(markdownText('[click](https://evil.example)'), '\\[click\\]\\(https://evil.example\\)');
    assert.equal(markdownText('$(error) *bold* _i_ <img src=x> a&amp;b ~~s~~ `c` \\ |t| #h !x'), '\\$\\(error\\) \\*bold\\* \\_i\\_ \\<img src=x\\> a\\&amp;b \\~\\~s\\~\\~ \\`c\\` \\\\ \\|t\\| \\#h \\!x');
    // Rendered, these read web\x1b[2K<U+202E>.
    assert.equal(markdownText('web\x1b[2K\u202e'), 'web\\\\x1b\\[2K\\<U+202E\\>');
  });
  it('a value as a code span: fenced beyond any backtick run inside, terminal-safe', () => {
    assert.equal(markdownCode('app=web'), '`app=web`');
    assert.equal(markdownCode('a`b``c'), '```a`b``c```');
    assert.equal(markdownCode('`x'), '`` `x ``');
    assert.equal(markdownCode('app=w\neb\u202e'), '`app=w\\neb<U+202E>`');
  });
});
