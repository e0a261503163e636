// Renders: Helm charts and Kustomize roots turned into plain manifests by the
// user's own tools and analysed with a way back to the source lines (see
// types.ts for the pipeline).
export type { RenderSpec, HelmRenderSpec, KustomizeRenderSpec, RenderResult, RenderedDocument, RenderProblem, MappedLoc } from './types';
export { discoverRenders, chartFolders, kustomizeRoots, releaseNameFor } from './discover';
export { findHelm, findKustomize, currentHost, HELM_INSTALL_HINT, KUSTOMIZE_INSTALL_HINT } from './tools';
export type { ToolSettings, ToolHost, HelmTool, KustomizeTool, Found } from './tools';
export { renderEnvironment } from './env';
export { renderHelm } from './helm/render';
export { RenderSession } from './analyse';
export { renderSet } from './set';
export type { RenderSetInput, RenderSetOutput, RenderTools } from './set';
export { RenderController, renderOne, renderId, renderFolder, rendersAffectedBy } from './controller';
