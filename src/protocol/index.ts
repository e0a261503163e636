export * from './messages';
export * from './trace-targets';
export * from './lsp';
