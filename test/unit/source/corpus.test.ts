// The real-world corpus: reads ../shared/corpus (beside the repository; not
// copied into it) and skips cleanly when it is absent. Every file must parse
// with no finding, the per-kind totals must match the corpus's SOURCES.md, and
// every recorded position must cover the value it describes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { CORPUS_DIR, manifestFiles, skipWithoutCorpus } from '../../fixtures/corpus';
import { buildModel, parseManifestFile, type ParsedFile } from '../../../src/core/source/manifests';
import type { Loc } from '../../../src/core/model/types';

const corpus = CORPUS_DIR;

describe('manifest source: real-world corpus (../shared/corpus)', function () {
  let parsed: ParsedFile[] = [];
  const texts = new Map<string, string>();

  before(function () {
    skipWithoutCorpus(this, corpus);
    for (const path of manifestFiles(corpus)) {
      const file = relative(corpus, path);
      const text = readFileSync(path, 'utf8');
      texts.set(file, text);
      parsed.push(parseManifestFile(file, text, { defaultNamespace: 'default' }));
    }
  });

  after(() => {
    parsed = [];
  });

  it('parses all 404 manifest files with no yaml-syntax or template finding', () => {
    assert.equal(parsed.length, 404);
    const findings = parsed.flatMap((p) => p.findings.filter((f) => f.rule !== 'manifest-invalid-value').map((f) => `${p.file}: ${f.rule}: ${f.message}`));
    assert.deepEqual(findings, []);
  });

  it('reports the six Service ports of istio\'s analyzer fixtures whose protocol is "HTTP" (the API rejects it)', () => {
    const invalid = parsed.flatMap((p) => p.findings.filter((f) => f.rule === 'manifest-invalid-value').map((f) => ({ p, f })));
    assert.equal(invalid.length, 6);
    for (const { p, f } of invalid) {
      assert.match(p.file, /^istio__istio\/pkg\/config\/analysis\/analyzers\/testdata\/deployment-multi-service/);
      assert.equal(texts.get(p.file)?.slice(f.loc.start, f.loc.end), 'HTTP');
      assert.equal(f.object?.kind, 'Service');
      assert.deepEqual(f.fixes[0].edits, [{ loc: f.loc, newText: 'TCP' }]);
    }
  });

  it('reads the four files whose {{ }} are only inside strings as plain YAML', () => {
    const stringTemplates = parsed.filter((p) => texts.get(p.file)?.includes('{{'));
    assert.equal(stringTemplates.length, 4);
    for (const p of stringTemplates) assert.equal(p.hasTemplates, false, p.file);
  });

  it('finds the per-kind totals SOURCES.md states', () => {
    const count: Record<string, number> = {};
    for (const p of parsed) for (const o of p.objects) count[o.kind] = (count[o.kind] ?? 0) + 1;
    assert.deepEqual(count, {
      Service: 254,
      Deployment: 199,
      ReplicationController: 33,
      StatefulSet: 13,
      DaemonSet: 6,
      Pod: 12,
      Job: 7,
      Ingress: 26,
      IngressClass: 2,
      NetworkPolicy: 13,
      Endpoints: 2,
      HTTPRoute: 10,
      // SOURCES.md's 8 Gateways less the Istio ones (networking.istio.io), which are not the Gateway API's.
      Gateway: 2,
      // Namespaces: 4 (istio) + 4 (examples) + 6 (Sock Shop) + 3 (ingress-nginx).
      Namespace: 17,
    });
    const model = buildModel(parsed, 'default');
    const types: Record<string, number> = {};
    for (const s of model.services) types[s.type] = (types[s.type] ?? 0) + 1;
    assert.deepEqual(types, { ClusterIP: 198, LoadBalancer: 32, NodePort: 20, ExternalName: 4 });
    assert.equal(model.services.filter((s) => s.headless).length, 7);
    assert.equal(model.endpointSlices.filter((e) => e.kind === 'EndpointSlice').length, 0);
  });

  it('records positions that cover exactly the values read', () => {
    let checked = 0;
    const expect = (file: string, loc: Loc | undefined, value: string | number | undefined, what: string) => {
      if (loc === undefined || value === undefined) return;
      assert.equal(loc.file, file);
      const written = (texts.get(file) ?? '').slice(loc.start, loc.end).replace(/^(["'])(.*)\1$/s, '$2');
      assert.equal(written, String(value), `${file}: ${what}`);
      checked++;
    };
    const model = buildModel(parsed, 'default');
    for (const o of [...model.services, ...model.workloads, ...model.ingresses, ...model.networkPolicies, ...model.routes]) {
      expect(o.origin.file ?? '', o.origin.nameLoc, o.name, `${o.kind} ${o.name} name`);
    }
    for (const s of model.services) {
      const file = s.origin.file ?? '';
      for (const p of s.ports) {
        expect(file, p.portLoc, p.port, `${s.name} port`);
        expect(file, p.targetPortLoc, p.targetPort, `${s.name} targetPort`);
        expect(file, p.nodePortLoc, p.nodePort, `${s.name} nodePort`);
        expect(file, p.nameLoc, p.name, `${s.name} port name`);
      }
      for (const [k, loc] of Object.entries(s.selector?.valueLocs ?? {})) expect(file, loc, s.selector?.matchLabels[k], `${s.name} selector ${k}`);
    }
    for (const w of model.workloads) {
      const file = w.origin.file ?? '';
      for (const c of w.containers) {
        for (const p of c.ports) expect(file, p.nameLoc, p.name, `${w.name} container port name`);
        for (const p of c.probes) expect(file, p.loc, p.port, `${w.name} probe port`);
      }
    }
    for (const i of model.ingresses) {
      const file = i.origin.file ?? '';
      for (const r of i.rules) {
        expect(file, r.hostLoc, r.host, `${i.name} host`);
        for (const p of r.paths) {
          expect(file, p.backend.serviceLoc, p.backend.service, `${i.name} backend service`);
          expect(file, p.backend.portLoc, p.backend.port, `${i.name} backend port`);
        }
      }
    }
    assert.ok(checked > 1500, `only ${checked} positions checked`);
  });
});
