// The rules the manifest source reports itself. Their severities, titles and
// descriptions are the catalogue's, like every other rule's.
import { RULES, type RuleId, type RuleInfo } from '../../rules/catalogue';

export const PARSE_RULE_IDS = ['yaml-syntax', 'manifest-template', 'manifest-too-large', 'manifest-encoding', 'manifest-invalid-value', 'yaml-alias-limit'] as const satisfies readonly RuleId[];

export type ParseRuleId = (typeof PARSE_RULE_IDS)[number];

export const PARSE_RULES: readonly RuleInfo[] = PARSE_RULE_IDS.map((id) => RULES.find((r) => r.id === id)!);
