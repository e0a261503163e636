// Configuration: `.kni.yaml` and the settings it holds.
export { emptyConfig } from './types';
export type { KniConfig } from './types';
export { parseConfig, isIncluded, formatConfigProblem, CONFIG_FILE_NAME } from './load';
export type { ConfigProblem, LoadedConfig } from './load';
export { parseByteSize, BYTE_SIZE_HINT } from './size';
