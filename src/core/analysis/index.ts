// The incremental analysis engine and suppression comments.
export { Analysis, compareFindings } from './analysis';
export type { AnalysisOptions } from './analysis';
export { readSuppressions, isSuppressed, disableFix } from './suppressions';
export type { Suppressions } from './suppressions';
