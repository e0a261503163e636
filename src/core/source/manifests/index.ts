// The manifest source: YAML/JSON text -> model objects with exact source positions.
export { parseManifestFile, DEFAULT_MAX_BYTES } from './parse';
export type { ParsedFile, ParseOptions } from './parse';
export { buildModel } from './model-builder';
export { PARSE_RULES } from './rules';
export type { ParseRule, ParseRuleId } from './rules';
export { ALIAS_WORK_BASE } from './ast';
export { LineIndex } from '../../text/lines';
export type { Position } from '../../text/lines';
