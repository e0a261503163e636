// The incremental analysis engine and suppression comments.
export { Analysis, compareFindings } from './analysis';
export type { AnalysisOptions } from './analysis';
export { readSuppressions, isSuppressed, DISABLE_DOCUMENT, DISABLE_NEXT_LINE } from './suppressions';
export { disableFix, disableDocumentFix } from './suppression-edits';
export type { Suppressions } from './suppressions';
