// Output formats of `kni lint`.
export { formatText } from './text';
export { formatJson } from './json';
export { formatSarif } from './sarif';
export { counts, rangeOf } from './types';
export type { LintReport, Range } from './types';
