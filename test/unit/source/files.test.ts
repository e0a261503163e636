// Whole files: multi-document, List, JSON, CRLF + BOM, and bad input
// (syntax errors, templates, size, alias bombs), which must come back as
// findings, never as exceptions.
import assert from 'node:assert/strict';
import { ALIAS_WORK_BASE, buildModel, parseManifestFile, PARSE_RULES, type ParsedFile } from '../../../src/core/source/manifests';
import type { Service, Workload } from '../../../src/core/model/types';

function parse(text: string, file = 'm.yaml', maxBytes?: number): ParsedFile {
  return parseManifestFile(file, text, { defaultNamespace: 'default', maxBytes });
}

const svc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: 80\n    targetPort: http\n`;

describe('manifest source: files', () => {
  it('reads every document of a multi-document file, with document numbers in ids', () => {
    const text = `# leading comment\n---\n${svc('a')}---\n${svc('b')}\n---\n# only a comment\n---\n${svc('c')}`;
    const parsed = parse(text);
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual(
      parsed.objects.map((o) => [o.name, o.id, o.origin.doc]),
      [
        ['a', 'm.yaml#0', 0],
        ['b', 'm.yaml#1', 1],
        ['c', 'm.yaml#3', 3],
      ],
    );
    for (const o of parsed.objects) {
      const loc = o.origin.loc;
      assert.ok(loc);
      assert.equal(text.slice(loc.start, loc.end), svc(o.name).trimEnd());
      assert.equal(text.slice(o.origin.nameLoc?.start, o.origin.nameLoc?.end), o.name);
    }
  });

  it('quietly skips documents without apiVersion/kind, unknown kinds, and non-mappings', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n---\nmetadata: {name: nokind}\n---\nkind: Service\n---\njust a string\n---\n- a\n- list\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: sm}\n---\n${svc('kept')}`;
    const parsed = parse(text);
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual(
      parsed.objects.map((o) => o.name),
      ['kept'],
    );
  });

  it('reads `kind: List` items as their own objects with "<file>#<doc>/<i>" ids', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s1}\n  spec: {ports: [{port: 80}]}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: cm}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: d1, namespace: x}\n  spec:\n    selector: {matchLabels: {a: b}}\n    template: {metadata: {labels: {a: b}}}\n`;
    const parsed = parse(text, 'list.yaml');
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual(
      parsed.objects.map((o) => [o.kind, o.name, o.id, o.namespace]),
      [
        ['Service', 's1', 'list.yaml#0/0', 'default'],
        ['Deployment', 'd1', 'list.yaml#0/2', 'x'],
      ],
    );
    const loc = parsed.objects[0].origin.loc;
    assert.ok(loc);
    assert.ok(text.slice(loc.start, loc.end).startsWith('apiVersion: v1\n  kind: Service'));
    assert.ok(text.slice(loc.start, loc.end).endsWith('{port: 80}]}'));
  });

  it('reads typed lists (ServiceList) whose items leave out their kind', () => {
    const parsed = parse('apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: s1}\n  spec: {ports: [{port: 80}]}\n');
    assert.deepEqual(
      parsed.objects.map((o) => [o.kind, o.name]),
      [['Service', 's1']],
    );
  });

  it('reads JSON manifests with exact positions', () => {
    const text = `{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "j", "namespace": "ns"},\n  "spec": {\n    "selector": {"app": "j"},\n    "ports": [{"port": 80, "targetPort": "web", "nodePort": 30001}]\n  }\n}\n`;
    const parsed = parse(text, 'svc.json');
    assert.deepEqual(parsed.findings, []);
    const s = parsed.objects[0] as Service;
    const at = (l: { start: number; end: number } | undefined) => (l ? text.slice(l.start, l.end) : undefined);
    assert.equal(s.name, 'j');
    assert.equal(s.namespace, 'ns');
    assert.equal(at(s.origin.nameLoc), '"j"');
    assert.equal(at(s.selector?.valueLocs?.app), '"j"');
    assert.equal(s.ports[0].port, 80);
    assert.equal(at(s.ports[0].portLoc), '80');
    assert.equal(s.ports[0].targetPort, 'web');
    assert.equal(at(s.ports[0].targetPortLoc), '"web"');
    assert.equal(at(s.ports[0].nodePortLoc), '30001');
    assert.equal(at(s.origin.loc), text.trimEnd());
  });

  it('keeps offsets into the original text with CRLF line ends and a BOM', () => {
    const lf = `${svc('a')}---\n${svc('b')}`;
    const text = '\uFEFF' + lf.replace(/\n/g, '\r\n');
    const parsed = parse(text);
    assert.deepEqual(parsed.findings, []);
    assert.equal(parsed.objects.length, 2);
    for (const o of parsed.objects as Service[]) {
      const at = (l: { start: number; end: number } | undefined) => (l ? text.slice(l.start, l.end) : undefined);
      assert.equal(at(o.origin.nameLoc), o.name);
      assert.equal(at(o.selector?.valueLocs?.app), o.name);
      assert.equal(at(o.ports[0].portLoc), '80');
      assert.equal(at(o.ports[0].targetPortLoc), 'http');
      assert.equal(at(o.origin.loc), svc(o.name).trimEnd().replace(/\n/g, '\r\n'));
    }
    assert.equal(parsed.objects[0].origin.loc?.start, 1, 'the first document starts after the BOM');
    const pos = parsed.lines.positionAt((parsed.objects[1] as Service).ports[0].portLoc?.start ?? -1);
    assert.deepEqual(pos, { line: 20, column: 11 });
  });

  it('reports a syntax error in one document and still reads the others', () => {
    const broken = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports: [{port: 80}\n  selector: {app: x}\n';
    const text = `${svc('first')}---\n${broken}---\n${svc('third')}`;
    const parsed = parse(text);
    assert.deepEqual(
      parsed.objects.map((o) => [o.name, o.origin.doc]),
      [
        ['first', 0],
        ['third', 2],
      ],
    );
    assert.equal(parsed.findings.length, 1);
    const f = parsed.findings[0];
    assert.equal(f.rule, 'yaml-syntax');
    assert.equal(f.severity, 'error');
    assert.equal(f.loc.file, 'm.yaml');
    const docStart = text.indexOf('apiVersion: v1\nkind: Service\nmetadata:\n  name: broken');
    assert.ok(f.loc.start > docStart && f.loc.start < text.indexOf('---', docStart), 'the finding is inside the broken document');
    assert.equal(parsed.lines.positionAt(f.loc.start).line, 18, 'where the missing "]" shows: the next key');
    assert.match(f.message, /YAML syntax error: .*flow collection/);
    assert.match(f.message, /skipped; fix the YAML/);
  });

  it('reports a bad-indentation error at its position and keeps the other documents', () => {
    const text = `${svc('one')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   bad: indent\n---\n${svc('two')}`;
    const parsed = parse(text);
    assert.deepEqual(
      parsed.objects.map((o) => o.name),
      ['one', 'two'],
    );
    assert.equal(parsed.findings.length, 1);
    assert.equal(parsed.findings[0].rule, 'yaml-syntax');
    assert.equal(parsed.lines.positionAt(parsed.findings[0].loc.start).line, 16, 'the over-indented line');
  });

  it('rejects a tab in block indentation (the parser would silently flatten the structure)', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n\tname: x\n---\n${svc('ok')}`;
    const parsed = parse(text);
    assert.deepEqual(
      parsed.objects.map((o) => o.name),
      ['ok'],
    );
    assert.equal(parsed.findings.length, 1);
    assert.equal(parsed.findings[0].rule, 'yaml-syntax');
    assert.equal(parsed.findings[0].loc.start, text.indexOf('\t'));
    assert.match(parsed.findings[0].message, /tab is used for indentation/);
  });

  it('accepts tabs where YAML allows them: after a colon, in block scalars, on blank lines, and in tab-indented JSON', () => {
    const yaml = 'apiVersion: v1\nkind: Service\n\t\nmetadata:\n  name:\tt\n  annotations:\n    script: |\n      a\n      \tb\n';
    const parsed = parse(yaml);
    assert.deepEqual(parsed.findings, []);
    assert.equal(parsed.objects[0].name, 't');
    assert.equal(parsed.objects[0].annotations.script, 'a\n\tb\n');
    const json = '{\n\t"apiVersion": "v1",\n\t"kind": "Service",\n\t"metadata": {\n\t\t"name": "j"\n\t},\n\t"spec": {\n\t\t"ports": [\n\t\t\t{"port": 80}\n\t\t]\n\t}\n}\n';
    const fromJson = parse(json, 'tabs.json');
    assert.deepEqual(fromJson.findings, []);
    assert.deepEqual((fromJson.objects[0] as Service).ports.map((p) => p.port), [80]);
  });

  it('reads a document with a key written twice, keeping the last value (as Kubernetes does)', () => {
    const parsed = parse('apiVersion: v1\nkind: Service\nmetadata:\n  name: first\n  name: second\nspec:\n  ports: [{port: 1}]\n  ports: [{port: 2}]\n');
    assert.deepEqual(parsed.findings, []);
    const s = parsed.objects[0] as Service;
    assert.equal(s.name, 'second');
    assert.deepEqual(
      s.ports.map((p) => p.port),
      [2],
    );
  });

  it('follows aliases and merge keys, the mapping\'s own keys winning', () => {
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels: &labels\n    app: d\n    tier: web\nspec:\n  selector:\n    matchLabels: *labels\n  template:\n    metadata:\n      labels:\n        <<: *labels\n        tier: api\n`;
    const parsed = parse(text);
    assert.deepEqual(parsed.findings, []);
    const w = parsed.objects[0] as Workload;
    assert.deepEqual(w.selector?.matchLabels, { app: 'd', tier: 'web' });
    assert.deepEqual(w.podLabels, { app: 'd', tier: 'api' });
  });

  it('parses every PARSE_RULES id it reports, with the documented severities', () => {
    assert.deepEqual(
      PARSE_RULES.map((r) => [r.id, r.severity]),
      [
        ['yaml-syntax', 'error'],
        ['manifest-template', 'info'],
        ['manifest-too-large', 'error'],
        ['manifest-encoding', 'error'],
        ['manifest-invalid-value', 'error'],
        ['yaml-alias-limit', 'error'],
      ],
    );
  });
});

describe('manifest source: values the API server rejects', () => {
  it('reports an invalid port protocol at the value, with a preferred fix, and leaves the port out', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: n}\nspec:\n  ports:\n  - port: 80\n    protocol: HTTP\n  - port: 81\n    protocol: udp\n  - port: 82\n';
    const parsed = parse(text);
    const s = parsed.objects[0] as Service;
    assert.deepEqual(
      s.ports.map((p) => p.port),
      [82],
    );
    assert.deepEqual(
      parsed.findings.map((f) => [f.rule, f.severity, text.slice(f.loc.start, f.loc.end), f.fixes.map((x) => [x.title, x.edits[0].newText, x.preferred])]),
      [
        ['manifest-invalid-value', 'error', 'HTTP', [['Use TCP', 'TCP', true]]],
        ['manifest-invalid-value', 'error', 'udp', [['Use UDP', 'UDP', true]]],
      ],
    );
    assert.deepEqual(parsed.findings[0].object, { kind: 'Service', namespace: 'n', name: 's' });
    assert.match(parsed.findings[0].message, /protocol "HTTP" is not one Kubernetes accepts/);
  });

  it('reports an unknown Service type (read as ClusterIP) and an unknown selector operator (left out)', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: Nodeport\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector:\n    matchExpressions:\n    - {key: a, operator: Equals, values: [b]}\n';
    const parsed = parse(text);
    assert.equal((parsed.objects[0] as Service).type, 'ClusterIP');
    assert.deepEqual(
      parsed.findings.map((f) => [text.slice(f.loc.start, f.loc.end), f.object?.kind, f.fixes[0]?.edits[0].newText]),
      [
        ['Nodeport', 'Service', 'NodePort'],
        ['Equals', 'NetworkPolicy', undefined],
      ],
    );
  });
});

describe('manifest source: label and annotation values', () => {
  it('reports unquoted numbers and booleans (YAML 1.1 words too) and reads them as their text', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels:\n    version: 1.0\n    canary: yes\n  annotations:\n    prometheus.io/scrape: true\n    ok: "true"\nspec:\n  selector:\n    matchLabels: {app: d, tier: 2}\n  template:\n    metadata:\n      labels: {app: d, tier: "2"}\n';
    const parsed = parse(text);
    const w = parsed.objects[0] as Workload;
    assert.deepEqual(w.labels, { version: '1.0', canary: 'yes' });
    assert.deepEqual(w.annotations, { 'prometheus.io/scrape': 'true', ok: 'true' });
    assert.deepEqual(w.selector?.matchLabels, { app: 'd', tier: '2' });
    assert.deepEqual(
      parsed.findings.map((f) => [f.rule, text.slice(f.loc.start, f.loc.end), f.fixes[0]?.edits[0].newText]),
      [
        ['manifest-invalid-value', '1.0', '"1.0"'],
        ['manifest-invalid-value', 'yes', '"yes"'],
        ['manifest-invalid-value', 'true', '"true"'],
        ['manifest-invalid-value', '2', '"2"'],
      ],
    );
    assert.match(parsed.findings[0].message, /label "version" is 1.0, which YAML reads as a number/);
    assert.match(parsed.findings[3].message, /selector label "tier"/);
  });

  it('reads a label written with no value as "" (as Kubernetes does)', () => {
    const parsed = parse('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app:\n    tier: ~\n');
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual((parsed.objects[0] as Service).selector?.matchLabels, { app: '', tier: '' });
  });
});

describe('manifest source: templates', () => {
  it('skips a Helm template with one info finding', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "app.fullname" . }}\n  labels:\n    {{- include "app.labels" . | nindent 4 }}\nspec:\n  type: {{ .Values.service.type }}\n  ports:\n    - port: {{ .Values.service.port }}\n`;
    const parsed = parse(text, 'templates/service.yaml');
    assert.equal(parsed.hasTemplates, true);
    assert.deepEqual(parsed.objects, []);
    assert.equal(parsed.findings.length, 1);
    const f = parsed.findings[0];
    assert.equal(f.rule, 'manifest-template');
    assert.equal(f.severity, 'info');
    assert.equal(text.slice(f.loc.start, f.loc.end), '{{');
    assert.equal(f.loc.start, text.indexOf('{{'));
    assert.match(f.message, /Helm\/Go template/);
    assert.match(f.message, /helm template/);
  });

  it('skips a template whose control lines break the YAML, without a syntax finding', () => {
    const text = `{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n{{- end }}\n`;
    const parsed = parse(text);
    assert.equal(parsed.hasTemplates, true);
    assert.deepEqual(
      parsed.findings.map((f) => f.rule),
      ['manifest-template'],
    );
  });

  it('skips a Helm template whose actions all sit inside quoted strings (a selector of "{{ .Release.Name }}" matches nothing real)', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: "{{ .Release.Name }}-web"\nspec:\n  selector:\n    app: "{{ .Release.Name }}"\n  ports:\n    - port: 80\n`;
    const parsed = parse(text, 'deploy/service.yaml');
    assert.equal(parsed.hasTemplates, true);
    assert.deepEqual(parsed.objects, []);
    assert.deepEqual(
      parsed.findings.map((f) => [f.rule, text.slice(f.loc.start, f.loc.start + 20)]),
      [['manifest-template', '{{ .Release.Name }}-']],
    );
    assert.match(parsed.findings[0].message, /naming Helm's values or release/);
    for (const action of ['{{ .Values.app }}', '{{- $.Values.app -}}', '{{ include "app.name" . }}', '{{ tpl .Values.x . }}', '{{ required "app" .Values.app }}', '{{ .Chart.Name }}']) {
      assert.equal(parse(svc('web').replace('app: web', `app: '${action}'`)).hasTemplates, true, action);
    }
  });

  it("skips any file with a {{ }} action in a chart's templates/ folder, in a value, a key or a comment", () => {
    for (const [where, text] of [
      ['value', svc('web').replace('app: web', 'app: "{{ $name }}"')],
      ['key', svc('web').replace('app: web', '"{{ $key }}": web')],
      ['comment', `# {{ $name }}\n${svc('web')}`],
    ]) {
      assert.equal(parse(text, 'chart/templates/service.yaml').hasTemplates, true, where);
      assert.equal(parse(text, 'chart\\templates\\service.yaml').hasTemplates, true, `${where}, Windows path`);
      assert.equal(parse(text, 'deploy/service.yaml').hasTemplates, false, `${where}, outside a chart`);
    }
  });

  it('reads plain YAML whose {{ }} are only inside string values (Prometheus / Alertmanager templates)', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: alerts
data:
  rules.yml: |
    summary: "{{ $labels.instance }} down"
  title: '{{ template "slack.title" . }}'
  plain: Instance {{ $labels.instance }} is down
  # a comment with {{ braces }}
  alert.tmpl: |
    {{- if eq .CommonLabels.severity "critical" }}{{ range .Alerts }}{{ .Annotations.description }}{{ end }}{{- end }}
  # {{ .Values.not.rendered }}: a comment is not Helm's outside a chart
---
${svc('web')}`;
    const parsed = parse(text);
    assert.equal(parsed.hasTemplates, false);
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual(
      parsed.objects.map((o) => o.name),
      ['web'],
    );
  });
});

describe('manifest source: limits', () => {
  it('does not read a file over maxBytes, with one error finding', () => {
    const text = svc('big');
    const parsed = parse(text, 'big.yaml', 50);
    assert.deepEqual(parsed.objects, []);
    assert.equal(parsed.findings.length, 1);
    assert.equal(parsed.findings[0].rule, 'manifest-too-large');
    assert.equal(parsed.findings[0].severity, 'error');
    assert.match(parsed.findings[0].message, /big\.yaml \(\d+ bytes\) is larger than 50 bytes/);
    assert.equal(parse(text, 'ok.yaml', text.length).objects.length, 1, 'a file exactly at the limit is read');
  });

  it('counts UTF-8 bytes, not characters, against maxBytes', () => {
    const text = svc('x') + '# ' + 'é'.repeat(100) + '\n';
    assert.equal(parse(text, 'm.yaml', text.length + 50).findings[0]?.rule, 'manifest-too-large');
    assert.equal(parse(text, 'm.yaml', text.length + 100).findings.length, 0);
  });

  it('reads a classic billion-laughs document quickly without expanding it', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill('*' + prev).join(', ')}]`);
    }
    const bomb = `apiVersion: v1\nkind: List\nmetadata: {name: lol}\nlaughs:\n${lines.map((l) => '  ' + l).join('\n')}\nitems: *j\n`;
    const parsed = parse(bomb);
    // `items` is a list of lists, none of them an object: nothing to read, nothing expanded.
    assert.deepEqual(parsed.objects, []);
    assert.deepEqual(parsed.findings, []);
  });

  it('stops a merge-key bomb at the alias limit with a finding at the alias', () => {
    const anchors = ['x0: &x0 {k0: v}'];
    for (let i = 1; i < 10; i++) anchors.push(`x${i}: &x${i} {<<: [${Array(10).fill('*x' + (i - 1)).join(', ')}]}`);
    const text = `${svc('before')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: bomb\n  annotations:\n${anchors.map((l) => '    ' + l).join('\n')}\n  labels: *x9\nspec: {ports: [{port: 80}]}\n---\n${svc('after')}`;
    const parsed = parse(text);
    assert.deepEqual(
      parsed.objects.map((o) => o.name),
      ['before', 'after'],
    );
    assert.equal(parsed.findings.length, 1);
    const f = parsed.findings[0];
    assert.equal(f.rule, 'yaml-alias-limit');
    assert.equal(f.severity, 'error');
    assert.equal(text.slice(f.loc.start, f.loc.end), '*x9');
    assert.ok(ALIAS_WORK_BASE >= 100_000);
  });

  it('stops a List whose items alias objects that alias their containers and ports', () => {
    const rep = (x: string, n: number) => Array(n).fill(x).join(', ');
    const text = `apiVersion: v1\nkind: List\ndefs:\n  p: &p {containerPort: 80, name: http}\n  c: &c {name: app, ports: [${rep('*p', 200)}]}\n  d: &d {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {template: {spec: {containers: [${rep('*c', 200)}]}}}}\nitems: [${rep('*d', 200)}]\n`;
    const parsed = parse(text);
    assert.deepEqual(parsed.objects, []);
    assert.deepEqual(
      parsed.findings.map((f) => [f.rule, text.slice(f.loc.start, f.loc.end)]),
      [['yaml-alias-limit', '*d']],
    );
    assert.equal(parsed.findings[0].loc.start, text.indexOf('*d'));
  });

  it('never throws: deep nesting, stray bytes, empty and whitespace-only files', () => {
    const deep = 'a: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n';
    for (const text of ['', '\n\n', '---\n---\n', '\uFEFF', deep, 'a: "\u0000"\n', ': : :\n', '- [}\n', '{{', 'key: *undefined\n']) {
      const parsed = parse(text);
      assert.ok(Array.isArray(parsed.findings));
      assert.deepEqual(parsed.objects, []);
    }
    const f = parse(deep).findings;
    assert.equal(f.length, 1);
    assert.equal(f[0].rule, 'yaml-syntax');
  });
});

describe('manifest source: buildModel', () => {
  it('collects objects by kind, keeping duplicates from different files', () => {
    const a = parse(`${svc('web')}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: {podSelector: {}}\n`, 'a.yaml');
    const b = parse(`${svc('web')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: e}\naddressType: IPv4\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n}\n`, 'b.yaml');
    const model = buildModel([a, b], 'default');
    assert.equal(model.source, 'manifests');
    assert.equal(model.defaultNamespace, 'default');
    assert.deepEqual(
      model.services.map((s) => s.id),
      ['a.yaml#0', 'b.yaml#0'],
    );
    assert.deepEqual(
      model.namespaces.map((n) => n.name),
      ['shop'],
    );
    assert.deepEqual(
      model.workloads.map((w) => [w.kind, w.name]),
      [['Pod', 'p']],
    );
    assert.equal(model.networkPolicies.length, 1);
    assert.equal(model.ingresses.length, 1);
    assert.equal(model.routes.length, 1);
    assert.equal(model.endpointSlices.length, 1);
    assert.equal(model.ingressClasses.length, 1);
    assert.equal(model.nodes.length, 1);
  });
});
