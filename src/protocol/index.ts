export * from './messages';
export * from './trace-targets';
