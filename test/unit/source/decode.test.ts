// A manifest file's bytes: UTF-16 (what older Windows shells write) is read
// as kubectl reads it, bytes that are not UTF-8 are findings at their line
// (never a name silently holding U+FFFD), the size is judged before reading.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { decodeManifestBytes } from '../../../src/core/text/decode';

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';
const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}\n';
const TEXT = `${SERVICE}---\n${DEPLOYMENT}`;

function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const bytes = order === 'le' ? le : Buffer.from(le).swap16();
  return bom ? Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), bytes]) : bytes;
}

function analyse(bytes: Uint8Array) {
  const { text, source } = decodeManifestBytes(bytes);
  const a = new Analysis();
  a.setFile('f.yaml', text, source);
  const lines = a.parsed('f.yaml')!.lines;
  return { a, text, findings: a.findings().map((f) => ({ ...f, line: lines.positionAt(f.loc.start).line })) };
}

describe('manifest source: file encodings', () => {
  for (const order of ['le', 'be'] as const) {
    it(`UTF-16${order.toUpperCase()} with a byte order mark reads as UTF-8 does, with nothing to say`, () => {
      const r = analyse(utf16(TEXT, order, true));
      assert.equal(r.text, TEXT);
      assert.deepEqual(r.findings, []);
      assert.equal(r.a.model().services[0].name, 'web');
    });

    it(`UTF-16${order.toUpperCase()} without a byte order mark is read, with information that kubectl cannot`, () => {
      const r = analyse(utf16(TEXT, order, false));
      assert.equal(r.text, TEXT);
      assert.deepEqual(
        r.findings.map((f) => [f.rule, f.severity, f.line]),
        [['manifest-encoding', 'info', 1]],
      );
      assert.match(r.findings[0].message, new RegExp(`UTF-16${order.toUpperCase()} without a byte order mark.*kubectl cannot read it.*UTF-8`));
    });
  }

  it('a UTF-8 byte order mark is dropped from the text (as an editor does), nothing reported', () => {
    const r = analyse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]));
    assert.equal(r.text, TEXT);
    assert.deepEqual(r.findings, []);
  });

  it('bytes that are not UTF-8 are an error at their line, one per line; the valid text around them is intact', () => {
    // Latin-1 "é" in a name (line 4) and twice in a comment (line 10), and a truncated sequence at the very end (line 19).
    const [before, after] = SERVICE.split('name: web');
    const bytes = Buffer.concat([
      Buffer.from(`${before}name: caf`),
      Buffer.from([0xe9]),
      Buffer.from(`${after}---\n# r`),
      Buffer.from([0xe9, 0x73, 0x75, 0x6d, 0xe9, 0x0a]),
      Buffer.from(DEPLOYMENT),
      Buffer.from([0x23, 0x20, 0xe2, 0x82]),
    ]);
    const r = analyse(bytes);
    const encoding = r.findings.filter((f) => f.rule === 'manifest-encoding');
    assert.deepEqual(
      encoding.map((f) => [f.severity, f.line]),
      [
        ['error', 4],
        ['error', 10],
        ['error', 19],
      ],
    );
    for (const f of encoding) assert.equal(r.text.slice(f.loc.start, f.loc.end), '\ufffd', 'the finding covers the replacement character');
    assert.match(encoding[0].message, /not valid UTF-8.*kubectl rejects the file.*Save it as UTF-8/);
    assert.ok(r.text.includes('# r\ufffdsum\ufffd\n'), 'each invalid byte is one U+FFFD, the rest decoded');
  });

  it('decodes invalid UTF-8 as TextDecoder does (one U+FFFD per maximal invalid sequence), and knows where', () => {
    const cases = [
      [0x61, 0xc3, 0x28, 0x62], // a lead byte without its continuation
      [0xe2, 0x28, 0xa1], // a three-byte lead, then ASCII
      [0xe2, 0x82, 0x61], // a truncated three-byte sequence
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0xc0, 0xaf], // an overlong "/"
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xf0, 0x9f, 0x98, 0x80, 0x80], // an emoji, then a stray continuation byte
      [0x61, 0xef, 0xbf, 0xbd, 0x62], // a U+FFFD written in the file is text, not an error
    ];
    for (const c of cases) {
      const bytes = Uint8Array.from(c);
      const { text, source } = decodeManifestBytes(bytes);
      assert.equal(text, new TextDecoder().decode(bytes), JSON.stringify(c));
      const expected: number[] = [];
      for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) expected.push(i);
      assert.deepEqual(source.invalidAt, c[1] === 0xef ? [] : expected, JSON.stringify(c));
    }
  });

  it('many lines with bad bytes: ten findings at most, the last counting the rest', () => {
    const lines = Array.from({ length: 25 }, (_, i) => Buffer.concat([Buffer.from(`# ${i} `), Buffer.from([0xff]), Buffer.from('\n')]));
    const r = analyse(Buffer.concat([...lines, Buffer.from(SERVICE)]));
    const encoding = r.findings.filter((f) => f.rule === 'manifest-encoding');
    assert.equal(encoding.length, 10);
    assert.match(encoding[9].message, /here and on 15 more lines after it/);
  });

  it('a file too large is judged by the size its reader saw, without its text; the message names the settings', () => {
    const a = new Analysis({ maxBytes: 1000 });
    a.setFile('big.yaml', '', { bytes: 600 * 1024 * 1024 });
    const [f] = a.findings();
    assert.equal(f.rule, 'manifest-too-large');
    assert.match(f.message, /big\.yaml \(600 MB\) is larger than 1000 bytes/);
    assert.match(f.message, /maxFileSize` in \.kni\.yaml, `--max-file-size` for kni, or the `kni\.maxFileSize` setting/);
    // The same file read whole once it is under the limit (another reading, another result).
    a.setFile('big.yaml', SERVICE, { bytes: SERVICE.length });
    assert.deepEqual(
      a.findings().map((x) => x.rule),
      ['service-no-matching-pods'],
    );
  });

  it("the configuration's maxFileSize is the limit when the analysis is given none, and a change re-reads the texts held", () => {
    const a = new Analysis({ config: { rules: {}, ignoreLabelKeys: [], include: [], exclude: [], maxFileSize: 100 } });
    a.setFile('svc.yaml', SERVICE);
    assert.deepEqual(
      a.findings().map((x) => x.rule),
      ['manifest-too-large'],
    );
    a.setConfig({ rules: {}, ignoreLabelKeys: [], include: [], exclude: [], maxFileSize: 10_000 });
    assert.deepEqual(
      a.findings().map((x) => x.rule),
      ['service-no-matching-pods'],
    );
  });
});
