export { buildTopologyGraph } from './build-graph';
export type { GraphOptions } from './build-graph';
