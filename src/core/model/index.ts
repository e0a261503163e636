// The network model: types, selectors and the lookup index.
export type * from './types';
export {
  selectorMatches,
  requirementMatches,
  isEmptySelector,
  formatSelector,
  formatRequirement,
  formatLabels,
  selectorFromMap,
  withoutKeys,
  labelsWithoutKeys,
} from './selectors';
export { addObject, emptyModel } from './collect';
export { unreadIn, unreadAnywhere, describeUnread } from './unread';
export { ModelIndex, NAMESPACE_NAME_LABEL, hasServiceSelector, uniqueWorkloads, groupWorkloads, pinnedNamespaceNames } from './model-index';
export type { ModelIndexOptions } from './model-index';
