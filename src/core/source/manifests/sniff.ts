// Which files are Kubernetes manifests at all: the CLI's directory walk and the
// editor's workspace index read only those, so a tsconfig.json with comments or
// a CI file is never reported as broken YAML by a Kubernetes linter.
const API_VERSION = /^[ \t-]*["']?apiVersion["']?[ \t]*:/m;
const KIND = /^[ \t-]*["']?kind["']?[ \t]*:/m;
const JSON_API_VERSION = /"apiVersion"\s*:/;

/**
 * Whether a YAML/JSON text may hold Kubernetes objects: it has an
 * `apiVersion` and a `kind` key somewhere. Other YAML (CI files, compose
 * files) and JSON (package.json, tsconfig.json) are not analysed at all, so
 * their syntax is none of our business.
 */
export function looksLikeManifest(text: string): boolean {
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
  return (API_VERSION.test(head) || JSON_API_VERSION.test(head)) && (KIND.test(head) || /"kind"\s*:/.test(head));
}
