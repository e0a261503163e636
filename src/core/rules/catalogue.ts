// The one place for rule facts: id (a contract: settings, suppressions and the
// CLI's JSON use it), default severity, title, description and group. The
// README's rules table and the extension's settings are generated from here.
import { repository } from '../../../package.json';
import type { RuleSeverity } from '../config/facts';

export type { RuleSeverity };

export type RuleGroup = 'Services' | 'Workloads and containers' | 'Ingress and routes' | 'NetworkPolicy' | 'Manifests' | 'Configuration';

interface RuleEntry {
  id: string;
  /** The default; rules that report two levels (named vs numbered ports) give the higher one here. */
  severity: RuleSeverity;
  title: string;
  description: string;
  group: RuleGroup;
}

const CATALOGUE = [
  // ------------------------------------------------------------ Services
  {
    id: 'service-no-matching-pods',
    severity: 'error',
    group: 'Services',
    title: 'Service selector matches no Pod',
    description:
      "A Service with a selector matches no workload's pod template in its own namespace, so it has no endpoints and every connection to it fails. The finding names the workload whose labels nearly match and offers to change the selector to them.",
  },
  {
    id: 'service-no-selector',
    severity: 'info',
    group: 'Services',
    title: 'Service without selector or endpoints',
    description:
      'A Service (other than ExternalName) has no selector and no Endpoints or EndpointSlice for it is in the set: its endpoints must be managed elsewhere, or it routes nowhere.',
  },
  {
    id: 'service-target-port-missing',
    severity: 'error',
    group: 'Services',
    title: "Service targetPort not declared by the Pods",
    description:
      "Checked per matched workload: a named targetPort that no matched container declares is an error (the port has no endpoints at all), a warning when other matched workloads declare it (only the Pods lacking it are left out); a numeric targetPort that no container declares is a warning (traffic is still sent, but nothing says the container listens there). An absent or zero targetPort means the same as port.",
  },
  {
    id: 'service-protocol-mismatch',
    severity: 'warning',
    group: 'Services',
    title: 'Service and container port protocols differ',
    description: "The Service port's protocol (TCP, UDP, SCTP) differs from the protocol of the container port it targets.",
  },
  {
    id: 'service-port-invalid',
    severity: 'error',
    group: 'Services',
    title: 'Invalid Service port',
    description:
      "port, targetPort or nodePort out of range; a targetPort name that is not a valid IANA service name (at most 15 characters, lowercase letters, digits and '-', at least one letter, no '--', no leading or trailing '-'; a quoted number is a name); a nodePort outside 30000-32767; a multi-port Service with an unnamed or duplicate port name. The API server rejects these.",
  },
  {
    id: 'service-selects-many-workloads',
    severity: 'info',
    group: 'Services',
    title: 'Service selects several workloads',
    description:
      'The selector matches the pods of more than one workload (the same workload defined in two files counts once). Often intended (versions behind one Service), sometimes a too-broad selector picking up a canary or another app.',
  },
  {
    id: 'service-external-traffic-policy',
    severity: 'warning',
    group: 'Services',
    title: 'externalTrafficPolicy without external traffic',
    description:
      'externalTrafficPolicy is set on a Service type that receives no external traffic (ClusterIP without externalIPs, ExternalName), so it has no effect.',
  },
  {
    id: 'statefulset-service-missing',
    severity: 'error',
    group: 'Services',
    title: "StatefulSet's governing Service missing",
    description: "A StatefulSet's serviceName names no Service in its namespace, so its Pods get no stable DNS names.",
  },
  {
    id: 'statefulset-service-not-headless',
    severity: 'warning',
    group: 'Services',
    title: "StatefulSet's governing Service not headless",
    description:
      "The StatefulSet's governing Service is not headless (clusterIP: None), so the per-Pod DNS names (pod-0.service) are not created.",
  },
  // ------------------------------------------------------------ Workloads
  {
    id: 'workload-selector-mismatch',
    severity: 'error',
    group: 'Workloads and containers',
    title: "Workload selector doesn't match its pod template",
    description: "A workload's spec.selector does not match its own pod template's labels; the API server rejects it.",
  },
  {
    id: 'probe-port-missing',
    severity: 'error',
    group: 'Workloads and containers',
    title: 'Probe port not declared',
    description:
      'An httpGet, tcpSocket or grpc probe names a port its container does not declare: a name is an error (the probe always fails), a number a warning.',
  },
  {
    id: 'container-port-invalid',
    severity: 'error',
    group: 'Workloads and containers',
    title: 'Invalid container port',
    description: 'A containerPort is out of range (1-65535), or a port name is not a valid IANA service name or is used twice within one Pod.',
  },
  // ------------------------------------------------------------ Ingress and routes
  {
    id: 'ingress-backend-service-missing',
    severity: 'error',
    group: 'Ingress and routes',
    title: 'Ingress backend Service missing',
    description: 'An Ingress rule or defaultBackend names a Service that is not in the set (in the Ingress namespace).',
  },
  {
    id: 'ingress-backend-port-missing',
    severity: 'error',
    group: 'Ingress and routes',
    title: 'Ingress backend port not on the Service',
    description: "The backend's port number or name is not a port of the Service it names, or the backend names no port at all (the API server rejects that).",
  },
  {
    id: 'ingress-backend-no-endpoints',
    severity: 'warning',
    group: 'Ingress and routes',
    title: 'Ingress backend Service has no Pods',
    description: "The backend Service exists but its selector matches no workload, so requests for this route fail (503).",
  },
  {
    id: 'ingress-tls-host-mismatch',
    severity: 'warning',
    group: 'Ingress and routes',
    title: 'Ingress TLS host not routed',
    description: 'A host listed under tls is covered by no rule host (wildcards match one label), so the certificate is never used for it.',
  },
  {
    id: 'ingress-duplicate-route',
    severity: 'warning',
    group: 'Ingress and routes',
    title: 'Two Ingresses route the same host and path',
    description:
      'Two Ingresses of the same class route the same host, path and path type; which one wins depends on the controller. Canary Ingresses (nginx.ingress.kubernetes.io/canary) are exempt.',
  },
  {
    id: 'ingress-class-missing',
    severity: 'warning',
    group: 'Ingress and routes',
    title: 'IngressClass missing or ambiguous',
    description:
      'spec.ingressClassName names no IngressClass while the set has IngressClasses, or more than one IngressClass is marked default.',
  },
  {
    id: 'route-backend-missing',
    severity: 'error',
    group: 'Ingress and routes',
    title: 'Gateway API route backend missing',
    description:
      'An HTTPRoute or GRPCRoute backendRef of kind Service names a Service (in its namespace, which may differ from the route\'s) or a port that is not in the set.',
  },
  {
    id: 'route-not-accepted',
    severity: 'warning',
    group: 'Ingress and routes',
    title: 'Gateway API route not accepted by its Gateway',
    description:
      "An HTTPRoute or GRPCRoute names a Gateway of the set in parentRefs, but no listener takes it: the sectionName or port names no listener, allowedRoutes does not admit the route's namespace or kind, or the listener's hostname and the route's hostnames share no host. Gateways outside the set are never judged.",
  },
  {
    id: 'route-backend-not-permitted',
    severity: 'error',
    group: 'Ingress and routes',
    title: 'Cross-namespace backendRef without a ReferenceGrant',
    description:
      "A route's backendRef (or RequestMirror backend) is in another namespace and no ReferenceGrant in that namespace allows the route's kind and namespace to reference it: the reference is refused and its share of requests gets 500.",
  },
  {
    id: 'route-weights-zero',
    severity: 'warning',
    group: 'Ingress and routes',
    title: 'Every backendRef of a route rule weighs 0',
    description: 'Every backendRef of a route rule has weight 0, so no backend gets requests and the Gateway answers 500.',
  },
  // ------------------------------------------------------------ NetworkPolicy
  {
    id: 'networkpolicy-selects-nothing',
    severity: 'warning',
    group: 'NetworkPolicy',
    title: 'NetworkPolicy selects no Pod',
    description: "spec.podSelector matches no workload in the policy's namespace, so the policy has no effect. An empty selector selects all Pods and never fires.",
  },
  {
    id: 'networkpolicy-peer-selects-nothing',
    severity: 'warning',
    group: 'NetworkPolicy',
    title: 'NetworkPolicy peer selects nothing',
    description:
      "A from/to peer's podSelector matches no workload in the namespaces it applies to. A namespaceSelector is judged only where every namespace it could match is known (a whole cluster, or namespaces named by kubernetes.io/metadata.name), never by guessing.",
  },
  {
    id: 'networkpolicy-port-missing',
    severity: 'warning',
    group: 'NetworkPolicy',
    title: 'NetworkPolicy allows an undeclared port',
    description: 'An ingress rule allows a port (number, range or name) that none of the selected Pods declares.',
  },
  {
    id: 'service-blocked-by-policy',
    severity: 'error',
    group: 'NetworkPolicy',
    title: 'Service blocked by NetworkPolicy',
    description:
      "The Service's backing Pods are isolated for ingress by at least one NetworkPolicy and no ingress rule of any policy selecting them admits any peer on the Service's target port: the Service can never be reached.",
  },
  {
    id: 'networkpolicy-egress-blocks-dns',
    severity: 'warning',
    group: 'NetworkPolicy',
    title: 'Egress policy blocks DNS',
    description:
      "A workload is isolated for egress, some egress rule allows it to reach something, but no rule (of any NetworkPolicy selecting it, or an admin policy) allows UDP port 53 to the servers its lookups go to: the cluster DNS Pods (kube-system, k8s-app=kube-dns; NodeLocal DNSCache's address too when it is in the set), or, with dnsPolicy None, every one of its dnsConfig nameservers (one allowed is enough: the resolver tries the next): every name lookup fails. Said only when certain: where a peer may cover the DNS Pods (their labels or kube-system's not in the set, an ipBlock the network plugin may apply to Pod addresses), where a rule names port 53 (a DNS server the author knows, such as another distribution's DNS namespace; with dnsPolicy None its nameservers are known and this does not apply), for hostNetwork Pods and for dnsPolicy Default (the node's resolver, whose address the set does not show), nothing is reported.",
  },
  {
    id: 'pod-not-isolated',
    severity: 'off',
    group: 'NetworkPolicy',
    title: 'Pod not isolated by any NetworkPolicy',
    description: 'A workload is selected by no NetworkPolicy, so all traffic to and from it is allowed. Off by default.',
  },
  // ------------------------------------------------------------ manifests and configuration
  {
    id: 'yaml-syntax',
    severity: 'error',
    group: 'Manifests',
    title: 'YAML syntax error',
    description: 'The file is not valid YAML (or JSON); the document with the error is skipped.',
  },
  {
    id: 'manifest-template',
    severity: 'info',
    group: 'Manifests',
    title: 'Template file',
    description:
      "The file is a Helm/Go template ({{ … }} outside string values, any {{ … }} in a chart's templates/ folder, or one naming .Values, .Release, .Chart or include inside a string), not plain YAML, that no render reads (it is not under a chart folder, or helm was not found), and is skipped. Charts in the set are rendered with helm and their findings land on the template lines.",
  },
  {
    id: 'render-failed',
    severity: 'error',
    group: 'Manifests',
    title: 'Chart or Kustomize render failed',
    description:
      "helm template or kustomize build stopped with an error (a template error, invalid YAML in the output, a missing file, a time-out): the finding is at the file and line the tool names, with its message. Nothing of the render is linted until it renders.",
  },
  {
    id: 'render-tool-missing',
    severity: 'warning',
    group: 'Manifests',
    title: 'Render tool not found',
    description:
      'A chart or Kustomize root is in the set but helm (for charts) or kustomize/kubectl (for Kustomize) was not found on PATH, in the kni.helm.path/kni.kustomize.path settings or where VS Code\'s Kubernetes extension installs it: its files are read as plain files (templates are skipped). Said once, with how to install the tool or set its path.',
  },
  {
    id: 'helm-dependencies-missing',
    severity: 'warning',
    group: 'Manifests',
    title: 'Chart dependencies not vendored',
    description:
      'A chart lists dependencies (Chart.yaml dependencies or requirements.yaml) that are not in its charts/ folder. Renders never download anything, so the chart is not rendered: run helm dependency build and lint again.',
  },
  {
    id: 'manifest-too-large',
    severity: 'error',
    group: 'Manifests',
    title: 'Manifest file too large',
    description:
      'The file is larger than the size limit (10 MB by default; `maxFileSize` in `.kni.yaml`, `--max-file-size` for the CLI, the `kni.maxFileSize` setting) and is not read.',
  },
  {
    id: 'manifest-encoding',
    severity: 'error',
    group: 'Manifests',
    title: 'Bytes that are not text',
    description:
      'The file has bytes that are not valid UTF-8 (or UTF-16), reported at their line: kubectl rejects the file, and a name holding them would not be the name written. UTF-16 files are read (with a byte order mark, as kubectl reads them; without one, with an information finding that kubectl cannot).',
  },
  {
    id: 'manifest-invalid-value',
    severity: 'error',
    group: 'Manifests',
    title: 'Value the API server rejects',
    description:
      'A field holds a value the API server rejects (a port protocol other than TCP/UDP/SCTP, an unknown Service type or selector operator, a selector or labels that are not a mapping, no metadata.name, a number the field cannot hold, a NetworkPolicy port range or ipBlock CIDR out of bounds, a document that is a list of objects); the value is left out of the model or read as its default, or the object is left out when the API server could not create it.',
  },
  {
    id: 'yaml-alias-limit',
    severity: 'error',
    group: 'Manifests',
    title: 'YAML alias expansion limit',
    description: 'A document expands aliases far beyond its own size (an "alias bomb"); it is skipped.',
  },
  {
    id: 'unknown-rule-id',
    severity: 'warning',
    group: 'Configuration',
    title: 'Unknown rule id',
    description: 'A suppression comment or a configuration file names a rule id that does not exist.',
  },
  {
    id: 'config-invalid',
    severity: 'error',
    group: 'Configuration',
    title: 'Configuration that does not apply',
    description:
      'A `.kni.yaml` has an unknown key or a value of the wrong shape (it is ignored), or, in a multi-root workspace, a folder sets a default namespace or ignored label keys that disagree with the one set the folders form.',
  },
] as const satisfies readonly RuleEntry[];

/** A rule id of the catalogue: a misspelt id in a finding, a rule, a setting or a test is a type error. */
export type RuleId = (typeof CATALOGUE)[number]['id'];

export interface RuleInfo extends RuleEntry {
  id: RuleId;
}

export const RULES: readonly RuleInfo[] = CATALOGUE;

const BY_ID: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return BY_ID.get(id);
}

/** Whether a string read from a file, a setting or a comment is a rule id. */
export function isKnownRule(id: string): id is RuleId {
  return BY_ID.has(id);
}

/** The README anchor of a rule's section. */
export function ruleAnchor(id: RuleId): string {
  return `rule-${id}`;
}

/** Where the README (and its "#rule-<id>" sections) is published. */
export const README_URL = `${repository.url}/blob/main/README.md`;

/** A rule's documentation: its section of the published README (SARIF's helpUri, LSP's codeDescription, `kni rules`). */
export function ruleDocsUrl(id: RuleId): string {
  return `${README_URL}#${ruleAnchor(id)}`;
}
