// `kni lint|trace|connectivity` on chart folders, with the real helm 3 and 4:
// locations are template and values lines in every format; --values, --set,
// --release apply to one chart; .kni.yaml renders; --no-render.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runConnectivity } from '../../../src/cli/connectivity';
import { runLint } from '../../../src/cli/lint';
import { runTrace } from '../../../src/cli/trace';
import { helmBinaries, missingTool } from '../../fixtures/render-tools';

type Command = typeof runLint;

async function run(command: Command, argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await command(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, cwd });
  return { code, stdout, stderr };
}

for (const { major, path } of helmBinaries()) {
  describe(`kni on a chart (Helm ${major})`, function () {
    this.timeout(60_000);
    let dir: string;
    before(function () {
      if (!path) return missingTool(this, `helm ${major}`);
      dir = mkdtempSync(join(tmpdir(), 'kni-cli-chart-'));
      cpSync(resolve('examples/charts/api'), join(dir, 'api'), { recursive: true });
      writeFileSync(join(dir, 'api/values-fixed.yaml'), 'service:\n  targetPort: http\n');
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('lint: text output names the template line and the render', async () => {
      const r = await run(runLint, ['api', '--helm', path as string], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^api\/templates\/service\.yaml\n {2}12:19 +error +targetPort web of Service default\/api-api .*\(in render api \(api\/values\.yaml; release "api" from the folder name, namespace "default"\)\) +service-target-port-missing$/m);
      assert.match(r.stdout, /1 problem \(1 error, 0 warnings, 0 infos\)/);
      // The templates are not linted again as loose files.
      assert.doesNotMatch(r.stdout, /manifest-template/);
    });

    it('lint: a chart at the working directory itself is named after its folder, its files without "./"', async () => {
      const r = await run(runLint, ['--helm', path as string, '--format', 'json'], join(dir, 'api'));
      const json = JSON.parse(r.stdout);
      assert.deepEqual(json.findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`), ['templates/service.yaml service-target-port-missing']);
      assert.match(json.findings[0].message, /Service default\/api-api .*in render api \(values\.yaml; release "api"/);
    });

    it('lint: JSON and SARIF locations are the template and values files', async () => {
      const json = JSON.parse((await run(runLint, ['api', '--helm', path as string, '--format', 'json'], dir)).stdout);
      assert.equal(json.findings.length, 1);
      const f = json.findings[0];
      assert.equal(f.file, 'api/templates/service.yaml');
      assert.deepEqual(f.range.start, { line: 12, column: 19 });
      assert.ok(f.related.some((r: { file: string; range: { start: { line: number } } }) => r.file === 'api/values.yaml' && r.range.start.line === 17));
      const sarif = JSON.parse((await run(runLint, ['api', '--helm', path as string, '--format', 'sarif'], dir)).stdout);
      const loc = sarif.runs[0].results[0].locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uri, 'api/templates/service.yaml');
      assert.equal(loc.region.startLine, 12);
    });

    it('lint: --values, --set and --release render the one chart as said', async () => {
      const fixed = await run(runLint, ['api', '--helm', path as string, '--values', 'api/values-fixed.yaml'], dir);
      assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
      const set = await run(runLint, ['api', '--helm', path as string, '--set', 'service.targetPort=metrics', '--release', 'shop', '--namespace', 'prod'], dir);
      assert.equal(set.code, 0, set.stdout + set.stderr);
      const broken = await run(runLint, ['api', '--helm', path as string, '--set', 'service.targetPort=nope', '--release', 'shop', '--namespace', 'prod', '--format', 'json'], dir);
      const f = JSON.parse(broken.stdout).findings[0];
      assert.match(f.message, /targetPort nope of Service prod\/shop-api/);
      assert.match(f.message, /in render shop \(values\.yaml, --set service\.targetPort=nope\)/);
      assert.ok(f.related.some((r: { message: string }) => /set by --set service\.targetPort=nope/.test(r.message)));
    });

    it('lint: .kni.yaml renders; several renders of one chart are separate sets', async () => {
      writeFileSync(join(dir, '.kni.yaml'), 'renders:\n  - chart: api\n    release: prod\n    values: [values-fixed.yaml]\n  - chart: api\n    release: staging\n');
      try {
        const r = await run(runLint, ['.', '--helm', path as string, '--format', 'json'], dir);
        const findings = JSON.parse(r.stdout).findings;
        assert.deepEqual(findings.map((f: { message: string }) => /in render ([a-z]+)/.exec(f.message)?.[1]), ['staging']);
      } finally {
        rmSync(join(dir, '.kni.yaml'));
      }
    });

    it('lint: --no-render reads the chart as plain files, and chart flags without one chart are a usage error', async () => {
      const r = await run(runLint, ['api', '--no-render'], dir);
      assert.match(r.stdout, /manifest-template/);
      const usage = await run(runLint, ['.', '--helm', path as string, '--values', 'x.yaml'], mkdtempSync(join(tmpdir(), 'kni-empty-')));
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /apply to one chart, and the paths hold none/);
    });

    it('trace: .kni.yaml renders with their release namespace, beside plain manifests of another namespace', async () => {
      writeFileSync(join(dir, '.kni.yaml'), 'renders:\n  - chart: api\n    release: api\n    namespace: prod\n    values: [values-fixed.yaml]\n');
      writeFileSync(join(dir, 'client.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  namespace: tools\nspec:\n  containers:\n    - name: c\n      image: curl\n');
      try {
        const t = await run(runTrace, ['.', '--helm', path as string, '--from', 'pod/tools/client', '--to', 'svc/prod/api-api:80', '--format', 'json'], dir);
        assert.equal(t.code, 0, t.stdout + t.stderr);
        assert.equal(JSON.parse(t.stdout).verdict, 'delivered');
      } finally {
        rmSync(join(dir, '.kni.yaml'));
        rmSync(join(dir, 'client.yaml'));
      }
    });

    it('trace and connectivity run in the rendered release, without the test hook', async () => {
      const t = await run(runTrace, ['api', '--helm', path as string, '--to', 'svc/default/api-api:80', '--format', 'json'], dir);
      const trace = JSON.parse(t.stdout);
      assert.equal(trace.verdict, 'no-endpoints');
      const fixed = await run(runTrace, ['api', '--helm', path as string, '--values', 'api/values-fixed.yaml', '--to', 'svc/default/api-api:80'], dir);
      assert.equal(fixed.code, 0, fixed.stdout);
      assert.doesNotMatch(fixed.stdout, /test-connection/);
      const c = await run(runConnectivity, ['api', '--helm', path as string, '--format', 'json'], dir);
      assert.equal(c.code, 0, c.stderr);
      assert.doesNotMatch(c.stdout, /test-connection/);
      assert.match(c.stdout, /api-api/);
    });
  });
}

describe('kni lint without helm', () => {
  it('says once that helm is missing and reads the templates as plain files', async () => {
    const r = await run(runLint, ['examples/charts', '--helm', 'no-such-helm-binary-here'], process.cwd());
    assert.equal((r.stdout.match(/render-tool-missing/g) ?? []).length, 1);
    assert.match(r.stdout, /examples\/charts\/api not rendered: --helm is "no-such-helm-binary-here"/);
    assert.match(r.stdout, /manifest-template/);
  });
});
