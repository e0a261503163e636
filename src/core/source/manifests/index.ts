// The manifest source: YAML/JSON text -> model objects with exact source positions.
//
//   const parsed = parseManifestFile('k8s/web.yaml', text, { defaultNamespace: 'default' });
//   const model = buildModel([parsed, ...], 'default');
//
// What the reader decides, so rules need not:
// - Kinds are read only from their own API groups (a Knative `Service` is not
//   a Service); unknown kinds, documents without apiVersion/kind and
//   non-mapping documents are skipped without a finding.
// - Ids: "<file>#<doc>" ("<file>#<doc>/<i>" for a List item); <doc> counts the
//   file's "---" pieces from 0, empty ones included (a comment-only preamble
//   before the first "---" is not one).
// - API defaults are applied where the API server applies them: protocol TCP,
//   Service type ClusterIP and sessionAffinity None, replicas 1 (kinds that
//   have replicas), NetworkPolicy policyTypes, Ingress pathType
//   ImplementationSpecific, Gateway backendRef kind/namespace/weight, legacy
//   selectors defaulted to the template labels (ReplicationController,
//   DeploymentConfig, extensions/apps v1beta workloads).
// - Values are kept as written otherwise: Service targetPort is a number only
//   when written as a plain number; a quoted "8080" stays the string "8080"
//   (IntOrString: the API reads it as a port *name*). An Ingress path without
//   `path` is "". An Endpoints object with subsets of different ports is split
//   into one object per subset ("<id>/subsets/<i>").
// - A key written twice keeps its last value, as Kubernetes' decoder does.
// - Values the API server rejects (protocol "HTTP", type "Nodeport", a quoted
//   port, an unquoted `version: 1.0` label...) are reported as
//   `manifest-invalid-value`, with a fix where one is clear.
// - Every finding and every *Loc is an offset range into the original text
//   (a BOM and CRLF line ends included); `ParsedFile.lines` turns offsets into
//   1-based lines/columns.
export { parseManifestFile, DEFAULT_MAX_BYTES, MAX_FILE_SIZE_SETTINGS } from './parse';
export type { ParsedFile, ParseOptions } from './parse';
export { decodeManifestBytes, sameFileSource } from '../../text/decode';
export type { DecodedText, FileSource, TextEncodingName } from '../../text/decode';
export { buildModel } from './model-builder';
export { PARSE_RULES, PARSE_RULE_IDS } from './rules';
export type { ParseRuleId } from './rules';
export { ALIAS_WORK_BASE } from './ast';
export { LineIndex } from '../../text/lines';
export type { Position } from '../../text/lines';
