export * from './messages';
export * from './lsp';
