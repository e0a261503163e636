// Property: whatever the style a Service is written in (block or flow,
// quoted or plain, CRLF or LF, with or without a BOM), every value read is the
// value written, and every loc covers exactly that value's text.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseManifestFile } from '../../../src/core/source/manifests';
import type { Service } from '../../../src/core/model/types';

const labelKey = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
// Values that YAML reads as strings however they are written (no numbers, booleans or nulls).
const labelValue = fc.stringMatching(/^[a-z][a-z0-9._-]{0,10}$/).filter((v) => !['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null'].includes(v));
const portName = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/).filter((v) => !['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null'].includes(v));

interface Spec {
  labels: [string, string][];
  ports: { name: string; port: number; target: number | string }[];
}

const spec: fc.Arbitrary<Spec> = fc.record({
  labels: fc.uniqueArray(fc.tuple(labelKey, labelValue), { minLength: 1, maxLength: 4, selector: (t) => t[0] }),
  ports: fc.array(fc.record({ name: portName, port: fc.integer({ min: 1, max: 65535 }), target: fc.oneof(fc.integer({ min: 1, max: 65535 }), portName) }), {
    minLength: 1,
    maxLength: 3,
  }),
});

function render(s: Spec, flow: boolean, quote: boolean): string {
  const q = (v: string) => (quote ? JSON.stringify(v) : v);
  if (flow) {
    const sel = s.labels.map(([k, v]) => `${k}: ${q(v)}`).join(', ');
    const ports = s.ports.map((p) => `{name: ${q(p.name)}, port: ${p.port}, targetPort: ${typeof p.target === 'number' ? p.target : q(p.target)}}`).join(', ');
    return `apiVersion: v1\nkind: Service\nmetadata: {name: ${q('svc')}}\nspec: {selector: {${sel}}, ports: [${ports}]}\n`;
  }
  const sel = s.labels.map(([k, v]) => `    ${k}: ${q(v)}\n`).join('');
  const ports = s.ports.map((p) => `  - name: ${q(p.name)}\n    port: ${p.port}\n    targetPort: ${typeof p.target === 'number' ? p.target : q(p.target)}\n`).join('');
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${q('svc')}\nspec:\n  selector:\n${sel}  ports:\n${ports}`;
}

describe('manifest source: positions (property)', () => {
  it('reads back every value at exactly its loc, in every style', () => {
    fc.assert(
      fc.property(spec, fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (s, flow, quote, crlf, bom) => {
        let text = render(s, flow, quote);
        if (crlf) text = text.replace(/\n/g, '\r\n');
        if (bom) text = '\uFEFF' + text;
        const parsed = parseManifestFile('p.yaml', text, { defaultNamespace: 'default' });
        assert.deepEqual(parsed.findings, []);
        const svc = parsed.objects[0] as Service;
        const at = (l: { start: number; end: number } | undefined) => (l ? text.slice(l.start, l.end) : undefined);
        const written = (v: string) => (quote ? JSON.stringify(v) : v);
        assert.equal(at(svc.origin.nameLoc), written('svc'));
        assert.deepEqual(svc.selector?.matchLabels, Object.fromEntries(s.labels));
        for (const [k, v] of s.labels) assert.equal(at(svc.selector?.valueLocs?.[k]), written(v));
        assert.equal(svc.ports.length, s.ports.length);
        s.ports.forEach((p, i) => {
          const read = svc.ports[i];
          assert.equal(read.port, p.port);
          assert.equal(at(read.portLoc), String(p.port));
          assert.equal(read.name, p.name);
          assert.equal(at(read.nameLoc), written(p.name));
          assert.equal(read.targetPort, p.target);
          assert.equal(at(read.targetPortLoc), typeof p.target === 'number' ? String(p.target) : written(p.target));
        });
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
