// Helm renders with the real helm 3 and helm 4: findings land on the template,
// helper and values lines; hooks stay out of the steady state; a chart with
// missing dependencies is not run; Helm's own errors land at their file:line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { emptyConfig } from '../../../src/core/config/types';
import { RenderSession } from '../../../src/core/source/render/analyse';
import { renderHelm } from '../../../src/core/source/render/helm/render';
import { findHelm, type HelmTool } from '../../../src/core/source/render/tools';
import { renderEnvironment } from '../../../src/core/source/render/env';
import type { HelmRenderSpec, RenderResult } from '../../../src/core/source/render/types';
import { LineIndex } from '../../../src/core/text/lines';
import { helmBinaries, missingTool } from '../../fixtures/render-tools';

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function spec(chart: string, extra: Partial<HelmRenderSpec> = {}): HelmRenderSpec {
  return { kind: 'helm', chart, release: 'rel', namespace: 'prod', values: [], set: {}, name: `rel (${chart})`, ...extra };
}

/** 1-based line of an offset in a source text of the render. */
function lineOf(result: RenderResult, file: string, offset: number): number {
  return new LineIndex(result.sourceTexts.get(file) as string).positionAt(offset).line;
}

/** The 1-based line of the first line of `text` containing `needle`. */
function lineWith(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i + 1;
}

const HELPERS = `{{- define "c.name" -}}
{{ .Chart.Name }}
{{- end }}

{{- define "c.selectorLabels" -}}
app.kubernetes.io/name: {{ include "c.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "c.labels" -}}
helm.sh/chart: {{ .Chart.Name }}
{{ include "c.selectorLabels" . }}
{{- end }}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  labels:
    {{- include "c.labels" . | nindent 4 }}
spec:
  selector:
    matchLabels:
      {{- include "c.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "c.labels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            {{- range .Values.ports }}
            - name: {{ .name }}
              containerPort: {{ .port }}
            {{- end }}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  ports:
    - name: http
      port: {{ .Values.service.port }}
      targetPort: {{ .Values.service.targetPort }}
  selector:
    {{- include "c.selectorLabels" . | nindent 4 }}
    tier: {{ .Values.tier }}
`;

const VALUES = `ports:
  - name: http
    port: 8080
  - name: metrics
    port: 9090
podLabels:
  team: shop
  tier: frontend
service:
  port: 80
  targetPort: web
tier: frontend
`;

const TEST_HOOK = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test
  labels:
    {{- include "c.selectorLabels" . | nindent 4 }}
    tier: frontend
  annotations:
    "helm.sh/hook": test
spec:
  containers:
    - name: t
      image: busybox
      ports:
        - name: web
          containerPort: 80
`;

for (const { major, path } of helmBinaries()) {
  describe(`Helm ${major} renders`, function () {
    this.timeout(60_000);
    let root: string;
    let tool: HelmTool;

    before(async function () {
      if (!path) return missingTool(this, `helm ${major}`);
      const found = await findHelm({ helmPath: path });
      assert.ok(found.tool, found.problem);
      assert.equal(found.tool.major, major);
      tool = found.tool;
      root = mkdtempSync(join(tmpdir(), 'kni-helm-test-'));
      writeTree(root, {
        'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
        'c/values.yaml': VALUES,
        'c/templates/_helpers.tpl': HELPERS,
        'c/templates/deployment.yaml': DEPLOYMENT,
        'c/templates/service.yaml': SERVICE,
        'c/templates/tests/test.yaml': TEST_HOOK,
      });
    });
    after(() => {
      if (root) rmSync(root, { recursive: true, force: true });
    });

    async function render(s: HelmRenderSpec): Promise<{ result: RenderResult; session: RenderSession }> {
      const result = await renderHelm(s, tool, { cwd: root });
      const session = new RenderSession({ config: emptyConfig(), defaultNamespace: s.namespace });
      session.update(result);
      return { result, session };
    }

    /** Maps the rendered line of `kind`'s document holding `needle` (its value, or the whole line). */
    function mapRendered(result: RenderResult, sourceSuffix: string, needle: string, valueOnly = true) {
      const doc = result.documents.find((d) => d.sourceFile.endsWith(sourceSuffix) && d.text.includes(needle));
      assert.ok(doc, `no rendered document of ${sourceSuffix} with ${needle}`);
      const at = doc.text.indexOf(needle);
      const colon = needle.indexOf(': ');
      const start = valueOnly && colon >= 0 ? at + colon + 2 : at;
      return doc.map(start, at + needle.length);
    }

    it('puts a targetPort finding on the template line, with the values line that supplied it; the test hook is no backend', async () => {
      const { result, session } = await render(spec('c'));
      assert.deepEqual(result.problems, []);
      const findings = session.findings();
      const target = findings.find((f) => f.rule === 'service-target-port-missing');
      assert.ok(target, JSON.stringify(findings.map((f) => f.rule)));
      assert.equal(target.loc.file, 'c/templates/service.yaml');
      assert.equal(lineOf(result, target.loc.file, target.loc.start), lineWith(SERVICE, 'targetPort:'));
      assert.match(target.message, /in render rel \(c\)/);
      const fromValues = target.related.find((r) => r.loc.file === 'c/values.yaml');
      assert.ok(fromValues, 'no related location in values.yaml');
      assert.equal(lineOf(result, 'c/values.yaml', fromValues.loc.start), lineWith(VALUES, 'targetPort: web'));
      assert.match(fromValues.message, /\.Values\.service\.targetPort = web/);
      // The test Pod has the selector's labels and declares "web": as a backend it would have hidden the mistake.
      assert.equal(findings.filter((f) => f.rule === 'service-selects-many-workloads').length, 0);
      const model = session.analysis.model();
      assert.deepEqual(model.workloads.map((w) => w.name), ['rel-web']);
      assert.deepEqual(model.notSteadyState?.map((o) => `${o.kind}/${o.name}`), ['Pod/rel-test']);
      assert.match(model.notSteadyState?.[0].origin.notSteadyState ?? '', /helm\.sh\/hook: test/);
    });

    it('maps labels from included helpers (nested includes) to the helper lines', async () => {
      const { result } = await render(spec('c'));
      const name = mapRendered(result, 'deployment.yaml', 'app.kubernetes.io/name: c');
      assert.equal(name.loc.file, 'c/templates/_helpers.tpl');
      assert.equal(lineOf(result, name.loc.file, name.loc.start), lineWith(HELPERS, 'app.kubernetes.io/name:'));
      assert.equal(name.exact, true);
      assert.equal(name.editable, false);
      const chart = mapRendered(result, 'deployment.yaml', 'helm.sh/chart: c');
      assert.equal(lineOf(result, chart.loc.file, chart.loc.start), lineWith(HELPERS, 'helm.sh/chart:'));
      const tier = mapRendered(result, 'service.yaml', 'tier: frontend');
      assert.equal(tier.loc.file, 'c/templates/service.yaml');
      assert.equal(lineOf(result, tier.loc.file, tier.loc.start), lineWith(SERVICE, 'tier:'));
      assert.ok(tier.related?.some((r) => r.loc.file === 'c/values.yaml' && lineOf(result, 'c/values.yaml', r.loc.start) === VALUES.split('\n').indexOf('tier: frontend') + 1));
    });

    it('maps every item of a range loop to the loop body, and toYaml of values to the values line (editable)', async () => {
      const { result } = await render(spec('c'));
      for (const [needle, valuesLine] of [['containerPort: 8080', 3], ['containerPort: 9090', 5]] as const) {
        const m = mapRendered(result, 'deployment.yaml', needle);
        assert.equal(m.loc.file, 'c/templates/deployment.yaml');
        assert.equal(lineOf(result, m.loc.file, m.loc.start), lineWith(DEPLOYMENT, 'containerPort:'));
        // `.port` inside `range .Values.ports`: the item of the values list the rendered item came from.
        const related = m.related?.find((r) => r.loc.file === 'c/values.yaml');
        assert.ok(related, `${needle}: no values line`);
        assert.equal(lineOf(result, 'c/values.yaml', related.loc.start), valuesLine);
        assert.match(related.message, /\.Values\.ports\[\d\]\.port = \d+/);
      }
      const team = mapRendered(result, 'deployment.yaml', 'team: shop');
      assert.equal(team.loc.file, 'c/values.yaml');
      assert.equal(lineOf(result, 'c/values.yaml', team.loc.start), lineWith(VALUES, 'team: shop'));
      assert.equal(team.editable, true);
      assert.equal(result.sourceTexts.get('c/values.yaml')?.slice(team.loc.start, team.loc.end), 'shop');
      // A plain template line is editable in place.
      const image = mapRendered(result, 'deployment.yaml', 'image: nginx');
      assert.equal(image.editable, true);
      assert.equal(result.sourceTexts.get(image.loc.file)?.slice(image.loc.start, image.loc.end), 'nginx');
    });

    it('reads -f values files and --set: the last one that sets a value is the related location', async () => {
      writeTree(root, { 'c/values-prod.yaml': 'service:\n  targetPort: http-prod\n' });
      const { result, session } = await render(spec('c', { values: ['values-prod.yaml'], set: { 'service.port': '8080' } }));
      const target = session.findings().find((f) => f.rule === 'service-target-port-missing');
      assert.ok(target);
      assert.match(target.message, /http-prod/);
      const related = target.related.find((r) => r.loc.file === 'c/values-prod.yaml');
      assert.ok(related, JSON.stringify(target.related));
      assert.equal(lineOf(result, 'c/values-prod.yaml', related.loc.start), 2);
      assert.ok(result.consumedFiles.includes('c/values-prod.yaml'));
    });

    it('maps a subchart template, its values coming from the parent under the subchart name', async () => {
      writeTree(root, {
        'p/Chart.yaml': 'apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n',
        'p/values.yaml': 'sub:\n  targetPort: nope\n',
        'p/templates/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  selector:\n    matchLabels:\n      app: sub\n  template:\n    metadata:\n      labels:\n        app: sub\n    spec:\n      containers:\n        - name: c\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 80\n',
        'p/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
        'p/charts/sub/values.yaml': 'targetPort: http\n',
        'p/charts/sub/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: sub\nspec:\n  selector:\n    app: sub\n  ports:\n    - port: 80\n      targetPort: {{ .Values.targetPort }}\n',
      });
      const { result, session } = await render(spec('p'));
      assert.deepEqual(result.problems, []);
      const target = session.findings().find((f) => f.rule === 'service-target-port-missing');
      assert.ok(target);
      assert.equal(target.loc.file, 'p/charts/sub/templates/svc.yaml');
      assert.equal(lineOf(result, target.loc.file, target.loc.start), 10);
      const related = target.related.find((r) => r.loc.file === 'p/values.yaml');
      assert.ok(related, JSON.stringify(target.related));
      assert.equal(lineOf(result, 'p/values.yaml', related.loc.start), 2);
    });

    it('puts a probe given whole in values (key: {{ toYaml … | nindent }}) on the values line; a hook Job is no workload (as in ingress-nginx)', async () => {
      const values = 'controller:\n  metrics:\n    enabled: false\n  livenessProbe:\n    httpGet:\n      path: /healthz\n      port: 10254\n';
      writeTree(root, {
        'ing/Chart.yaml': 'apiVersion: v2\nname: ing\nversion: 0.1.0\n',
        'ing/values.yaml': values,
        'ing/templates/deploy.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ctl\nspec:\n  selector:\n    matchLabels:\n      app: ctl\n  template:\n    metadata:\n      labels:\n        app: ctl\n    spec:\n      containers:\n        - name: controller\n          image: nginx\n          {{- if .Values.controller.livenessProbe }}\n          livenessProbe: {{ toYaml .Values.controller.livenessProbe | nindent 12 }}\n          {{- end }}\n          ports:\n            - name: http\n              containerPort: 80\n            {{- if .Values.controller.metrics.enabled }}\n            - name: metrics\n              containerPort: 10254\n            {{- end }}\n',
        'ing/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ctl\nspec:\n  selector:\n    app: ctl\n  ports:\n    - port: 80\n      targetPort: http\n',
        'ing/templates/admission-job.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: admission-create\n  annotations:\n    "helm.sh/hook": pre-install,pre-upgrade\nspec:\n  template:\n    metadata:\n      labels:\n        app: ctl\n    spec:\n      restartPolicy: OnFailure\n      containers:\n        - name: create\n          image: certgen\n',
      });
      const { result, session } = await render(spec('ing'));
      const findings = session.findings();
      assert.deepEqual(findings.map((f) => f.rule), ['probe-port-missing']);
      assert.equal(findings[0].loc.file, 'ing/values.yaml');
      assert.equal(lineOf(result, 'ing/values.yaml', findings[0].loc.start), 7);
      assert.deepEqual(session.analysis.model().notSteadyState?.map((o) => o.name), ['admission-create']);
      const enabled = await render(spec('ing', { set: { 'controller.metrics.enabled': 'true' } }));
      assert.deepEqual(enabled.session.findings(), []);
    });

    it('keeps a quick fix whose edit lands on a values line (a template value written as {{ .Values.x }}), drops one that would edit an action', async () => {
      const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels:\n      app: d\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers:\n        - name: c\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 8080\n';
      writeTree(root, {
        'fx/Chart.yaml': 'apiVersion: v2\nname: fx\nversion: 0.1.0\n',
        'fx/values.yaml': 'service:\n  targetPort: web\n',
        'fx/templates/deploy.yaml': deploy,
        'fx/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: d\nspec:\n  selector:\n    app: d\n  ports:\n    - port: 80\n      targetPort: {{ .Values.service.targetPort }}\n',
        'fy/Chart.yaml': 'apiVersion: v2\nname: fy\nversion: 0.1.0\n',
        'fy/values.yaml': 'service:\n  targetPort: we\n',
        'fy/templates/deploy.yaml': deploy,
        'fy/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: d\nspec:\n  selector:\n    app: d\n  ports:\n    - port: 80\n      targetPort: {{ .Values.service.targetPort }}b\n',
      });
      const { result, session } = await render(spec('fx'));
      const f = session.findings().find((x) => x.rule === 'service-target-port-missing');
      assert.ok(f);
      assert.equal(f.loc.file, 'fx/templates/svc.yaml');
      assert.equal(f.fixes.length, 1, JSON.stringify(f.fixes));
      const edit = f.fixes[0].edits[0];
      assert.equal(edit.loc.file, 'fx/values.yaml');
      assert.equal(result.sourceTexts.get('fx/values.yaml')?.slice(edit.loc.start, edit.loc.end), 'web');
      assert.equal(edit.newText, 'http');
      const other = await render(spec('fy'));
      const g = other.session.findings().find((x) => x.rule === 'service-target-port-missing');
      assert.ok(g);
      assert.deepEqual(g.fixes, []);
    });

    it('tells list items apart by what their text can render to (conditional args)', async () => {
      const tpl = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  selector:\n    matchLabels:\n      app: a\n  template:\n    metadata:\n      labels:\n        app: a\n    spec:\n      containers:\n        - name: c\n          image: nginx\n          args:\n            {{- if .Values.udp }}\n            - --listen-udp={{ .Values.udp }}\n            {{- end }}\n            - --telemetry-path={{ .Values.path }}\n            - --log-level=info\n';
      writeTree(root, {
        'args/Chart.yaml': 'apiVersion: v2\nname: args\nversion: 0.1.0\n',
        'args/values.yaml': 'udp: ""\npath: /metrics\n',
        'args/templates/d.yaml': tpl,
      });
      const { result } = await render(spec('args'));
      const doc = result.documents[0];
      const at = doc.text.indexOf('--telemetry-path=/metrics');
      const m = doc.map(at, at + '--telemetry-path=/metrics'.length);
      assert.equal(lineOf(result, 'args/templates/d.yaml', m.loc.start), lineWith(tpl, '--telemetry-path='));
      const level = doc.text.indexOf('--log-level=info');
      const l = doc.map(level, level + '--log-level=info'.length);
      assert.equal(lineOf(result, 'args/templates/d.yaml', l.loc.start), lineWith(tpl, '--log-level='));
      assert.equal(l.editable, true);
    });

    it('maps an aliased subchart: its files in the folder of its name, its values under its alias', async () => {
      writeTree(root, {
        'al/Chart.yaml': 'apiVersion: v2\nname: al\nversion: 0.1.0\ndependencies:\n  - name: sub\n    alias: cache\n    version: 0.1.0\n',
        'al/values.yaml': 'cache:\n  targetPort: nope\n',
        'al/templates/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  selector:\n    matchLabels:\n      app: sub\n  template:\n    metadata:\n      labels:\n        app: sub\n    spec:\n      containers:\n        - name: c\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 80\n',
        'al/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
        'al/charts/sub/values.yaml': 'targetPort: http\n',
        'al/charts/sub/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Chart.Name }}\nspec:\n  selector:\n    app: sub\n  ports:\n    - port: 80\n      targetPort: {{ .Values.targetPort }}\n',
      });
      const { result, session } = await render(spec('al'));
      assert.deepEqual(result.problems, []);
      const target = session.findings().find((f) => f.rule === 'service-target-port-missing');
      assert.ok(target);
      assert.equal(target.loc.file, 'al/charts/sub/templates/svc.yaml');
      assert.equal(lineOf(result, target.loc.file, target.loc.start), 10);
      const related = target.related.find((r) => r.loc.file === 'al/values.yaml');
      assert.ok(related, JSON.stringify(target.related));
      assert.equal(lineOf(result, 'al/values.yaml', related.loc.start), 2);
    });

    it('places an object of a packaged subchart (.tgz) at its dependency line, saying the position is approximate', async () => {
      writeTree(root, {
        'pk/Chart.yaml': 'apiVersion: v2\nname: pk\nversion: 0.1.0\ndependencies:\n  - name: psub\n    version: 0.1.0\n',
        'psub-src/psub/Chart.yaml': 'apiVersion: v2\nname: psub\nversion: 0.1.0\n',
        'psub-src/psub/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: nothing\n  ports:\n    - port: 80\n',
      });
      execFileSync(path as string, ['package', join(root, 'psub-src', 'psub'), '-d', join(root, 'pk', 'charts')], { env: renderEnvironment() });
      const { result, session } = await render(spec('pk'));
      assert.deepEqual(result.problems, []);
      const f = session.findings().find((x) => x.rule === 'service-no-matching-pods');
      assert.ok(f);
      assert.equal(f.loc.file, 'pk/Chart.yaml');
      assert.equal(lineOf(result, 'pk/Chart.yaml', f.loc.start), 5);
      assert.match(f.message, /position approximate: the field's line in charts\/psub-0\.1\.0\.tgz was not found/);
    });

    it('says once that dependencies are missing, naming helm dependency build, and does not run helm', async () => {
      writeTree(root, {
        'd/Chart.yaml': 'apiVersion: v2\nname: d\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 19.0.0\n    repository: https://charts.example.com\n  - name: pg\n    version: 1.0.0\n    repository: oci://registry.example.com/charts\n',
        'd/templates/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      });
      const { result } = await render(spec('d'));
      assert.equal(result.documents.length, 0);
      assert.equal(result.problems.length, 1);
      const p = result.problems[0];
      assert.equal(p.rule, 'helm-dependencies-missing');
      assert.match(p.message, /helm dependency build d/);
      assert.match(p.message, /redis 19\.0\.0 \(https:\/\/charts\.example\.com\), pg 1\.0\.0/);
      assert.equal(p.loc.file, 'd/Chart.yaml');
      assert.equal(lineOf(result, 'd/Chart.yaml', p.loc.start), 5);
      assert.ok(result.consumedFiles.includes('d/templates/x.yaml'));
    });

    it("puts Helm's template error at its file and line", async () => {
      writeTree(root, {
        'e/Chart.yaml': 'apiVersion: v2\nname: e\nversion: 0.1.0\n',
        'e/values.yaml': 'image: {}\n',
        'e/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n  tag: {{ required "image.tag is required" .Values.image.tag }}\n',
      });
      const { result } = await render(spec('e'));
      assert.equal(result.problems.length, 1);
      const p = result.problems[0];
      assert.equal(p.rule, 'render-failed');
      assert.equal(p.loc.file, 'e/templates/cm.yaml');
      assert.equal(lineOf(result, p.loc.file, p.loc.start), 7);
      assert.match(p.message, /image\.tag is required/);
    });

    it('puts a values.schema.json violation at the values line that breaks it', async () => {
      writeTree(root, {
        'sc/Chart.yaml': 'apiVersion: v2\nname: sc\nversion: 0.1.0\n',
        'sc/values.yaml': 'service:\n  port: 80\n',
        'sc/values-bad.yaml': 'replicas: 2\nservice:\n  port: "eighty"\n',
        'sc/values.schema.json': '{"type":"object","properties":{"service":{"type":"object","properties":{"port":{"type":"integer"}}}}}',
        'sc/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      });
      const { result } = await render(spec('sc', { values: ['values-bad.yaml'] }));
      assert.equal(result.problems.length, 1);
      const p = result.problems[0];
      assert.equal(p.rule, 'render-failed');
      assert.equal(p.loc.file, 'sc/values-bad.yaml');
      assert.equal(lineOf(result, 'sc/values-bad.yaml', p.loc.start), 3);
      assert.match(p.message, /do not meet sc\/values\.schema\.json: service\.port: /);
    });

    it('puts a YAML error of the output at the template', async () => {
      writeTree(root, {
        'yml/Chart.yaml': 'apiVersion: v2\nname: yml\nversion: 0.1.0\n',
        'yml/templates/cm.yaml': '{{- /* a comment line: the output starts a line below the template */}}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n   b: 2\n',
      });
      const { result } = await render(spec('yml'));
      assert.equal(result.problems.length, 1);
      assert.equal(result.problems[0].rule, 'render-failed');
      assert.equal(result.problems[0].loc.file, 'yml/templates/cm.yaml');
      assert.match(result.problems[0].message, /YAML|yaml/);
      // Helm names line 6 of the rendered output; rendered again with --debug, that line is the template's line 7 (a comment line renders to nothing).
      assert.equal(lineOf(result, 'yml/templates/cm.yaml', result.problems[0].loc.start), 7);
    });
  });
}

describe('Helm render tool discovery', () => {
  it('says what to do when kni.helm.path is not a binary', async () => {
    const found = await findHelm({ helmPath: resolve('no-such-helm-binary') });
    assert.equal(found.tool, undefined);
    assert.match(found.problem ?? '', /kni\.helm\.path .* not an executable file/);
  });
  it('says how to install helm when none is found', async () => {
    const found = await findHelm({}, { env: { PATH: '' }, home: '', platform: 'linux', arch: 'x64' });
    assert.match(found.problem ?? '', /helm was not found; install Helm 3 or 4/);
  });
});
