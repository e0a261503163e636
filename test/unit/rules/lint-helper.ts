// Runs every rule over a model built in the test and returns the findings.
import { ModelIndex } from '../../../src/core/model/model-index';
import { runRules } from '../../../src/core/rules';
import { RuleContext } from '../../../src/core/rules/context';
import { emptyConfig, type KniConfig } from '../../../src/core/config/types';
import type { Finding } from '../../../src/core/findings/types';
import type { NetworkModel } from '../../../src/core/model/types';

export function lintModel(model: NetworkModel, config: Partial<KniConfig> = {}): Finding[] {
  const cfg = { ...emptyConfig(), ...config };
  const ctx = new RuleContext(model, new ModelIndex(model, { ignoreLabelKeys: cfg.ignoreLabelKeys }), cfg);
  return runRules(ctx);
}

/** The findings of one rule, as "severity: message" lines are hard to assert on, return them whole. */
export function only(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}
