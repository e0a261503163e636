// Configuration: `.kni.yaml` and the settings it holds, the editor settings,
// and the facts every part states (file names, name syntax, levels, defaults).
export * from './facts';
export { settingsFrom } from './settings';
export type { EditorSettings } from './settings';
export { emptyConfig } from './types';
export type { KniConfig } from './types';
export { parseConfig, isIncluded, formatConfigProblem } from './load';
export type { ConfigProblem, LoadedConfig } from './load';
export { parseByteSize, BYTE_SIZE_HINT } from './size';
