// The README's rules section, generated from the catalogue so the two never
// drift: one table per group, each rule with an anchor "rule-<id>" (the SARIF
// helpUri and the editor's diagnostic links point at it).
import { RULES, ruleAnchor, type RuleGroup } from './catalogue';

const GROUPS: RuleGroup[] = ['Services', 'Workloads and containers', 'Ingress and routes', 'NetworkPolicy', 'Manifests', 'Configuration'];

export function rulesMarkdown(): string {
  const out: string[] = [];
  for (const group of GROUPS) {
    const rules = RULES.filter((r) => r.group === group);
    if (rules.length === 0) continue;
    out.push(`### ${group}`, '', '| id | default | what it finds |', '|---|---|---|');
    for (const r of rules) {
      out.push(`| <a id="${ruleAnchor(r.id)}"></a>\`${r.id}\` | ${r.severity} | ${r.description.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
