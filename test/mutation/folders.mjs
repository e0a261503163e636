// What mutation testing mutates and which unit tests may kill the mutants: one
// entry per folder of src/core. Test paths are prefixes under test/unit/. With
// per-test coverage Stryker runs only the tests that reach a mutant, but a
// mutant reached while the tests load (a fixture built in a describe block)
// costs a fresh process and every test: so each folder lists its own tests and
// those that check its answers most directly, not every test that uses it.
// Left out everywhere: the corpus tests (regression snapshots of real
// manifests, slow, and absent from a sandbox without ../shared), the fuzz
// tests (they assert only that nothing throws) and the examples' test (it runs
// helm and kustomize: seconds for each mutant it reaches). The model's list
// leaves out analysis/incremental: model/model-index checks the same re-index
// answers directly, and in a run with it (2026-12-08) it killed none of the
// model's mutants but ran ~9 s for each of the 57 survivors it reached.
export const MUTATION_FOLDERS = {
  model: { mutate: 'src/core/model/**/*.ts', tests: ['model/', 'rules/', 'trace/port-semantics', 'trace/pod-to-pod', 'policy/evaluate', 'cluster/partial-read'] },
  rules: { mutate: 'src/core/rules/**/*.ts', tests: ['rules/', 'docs/', 'editor/config', 'editor/suppressions', 'cli/lint', 'cluster/findings', 'cluster/partial-read'] },
  trace: { mutate: 'src/core/trace/**/*.ts', tests: ['trace/'] },
  policy: { mutate: 'src/core/policy/**/*.ts', tests: ['policy/', 'rules/policies', 'rules/dns-egress', 'trace/egress', 'trace/pod-to-pod', 'cluster/partial-read'] },
};

/** Where the sandbox's build command writes the bundled tests (relative to the sandbox). */
export const MUTATION_BUNDLE_DIR = 'out/mutation/tests';

/** Each folder's incremental file and reports: git-ignored, kept between runs. */
export const reportDir = (folder) => `reports/mutation/${folder}`;

const LEFT_OUT = [/(^|\/)corpus\.test\.ts$/, /(^|\/)fuzz\.test\.ts$/, /^rules\/examples\.test\.ts$/];

/**
 * The test files (relative to test/unit/) that run against `folder`'s mutants,
 * in the order of its list: mocha runs a mutant's tests in that order and stops
 * at the first failure, so the folder's own quick tests come before the slower
 * ones that only a survivor reaches.
 */
export function mutationTests(folder, allTestFiles) {
  const { tests } = MUTATION_FOLDERS[folder];
  const rank = (f) => tests.findIndex((prefix) => f.startsWith(prefix));
  return allTestFiles
    .filter((f) => rank(f) >= 0 && !LEFT_OUT.some((re) => re.test(f)))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
