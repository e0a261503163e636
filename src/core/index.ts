// The public API of the core: pure TypeScript on plain Node (no VS Code, no DOM).
// Adapters (the extension, the CLI, benchmarks) import from here.

// The network model and lookups over it.
export * from './model';

// Findings are data: rule id, severity, message, location, related locations, fixes.
export type { Finding, Fix, RelatedLocation, Severity, TextEdit } from './findings/types';

// Rules: the catalogue (ids are a contract) and running them.
export { RULES, ruleInfo, isKnownRule, ruleAnchor, ALL_RULES, runRules, RuleContext, effectiveSeverity } from './rules';
export type { RuleInfo, RuleSeverity, RuleGroup, Rule, Report } from './rules';

// Configuration (.kni.yaml).
export * from './config';

// The incremental engine: files in, findings out.
export * from './analysis';

// Manifest files -> model objects.
export { parseManifestFile, buildModel, PARSE_RULES, DEFAULT_MAX_BYTES, MAX_FILE_SIZE_SETTINGS } from './source/manifests';
export type { ParsedFile, ParseOptions } from './source/manifests';

// A file's bytes -> its text, the encoding and the bytes that were not text.
export { decodeManifestBytes } from './text/decode';
export type { DecodedText, FileSource, TextEncodingName } from './text/decode';

// Offsets <-> 1-based lines and columns.
export { LineIndex } from './text/lines';
export type { Position } from './text/lines';
