// Stands in for what VS Code gives a webview before its scripts run:
// `acquireVsCodeApi()` (callable once, like the real one) whose postMessage
// structured-clones each message (as the real channel does) and records it on
// `window.__posted`. The test driver may install `window.__kniOnPost` (a
// Playwright binding) to hear each message as it is posted, and
// `window.__initialState` (what getState returns before any setState).
// CSP violations are recorded on `window.__cspViolations`.
(function () {
  'use strict';
  var posted = [];
  var violations = [];
  window.__posted = posted;
  window.__cspViolations = violations;
  document.addEventListener('securitypolicyviolation', function (e) {
    violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });

  var state = window.__initialState;
  var acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: function (message) {
        var copy = structuredClone(message);
        posted.push(copy);
        if (typeof window.__kniOnPost === 'function') window.__kniOnPost(copy);
      },
      getState: function () {
        return state;
      },
      setState: function (next) {
        state = structuredClone(next);
        window.__state = state;
        return next;
      },
    });
  };
})();
