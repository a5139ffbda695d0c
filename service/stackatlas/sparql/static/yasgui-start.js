// Opens YASGUI on the endpoint. The page hands over the endpoint and the
// examples as JSON data (never as script), so the Content-Security-Policy can
// forbid every inline script.
//
// - Tabs (and so each tab's query history) are kept in localStorage under
//   PERSISTENCE: a reload shows what the reader left.
// - The example questions are added once, on the first visit.
// - A share link (YASGUI's share button: /sparql#query=…) opens the shared
//   query in a tab of its own, active.
// - IRIs of this catalog in the results link to the local pages (/id/…,
//   /ontology.html#…) instead of the w3id.org addresses.
"use strict";
(function () {
  const PERSISTENCE = "stackatlas-yasgui";
  const EXAMPLES_ADDED = "stackatlas-yasgui-examples-added";
  const LOCAL = [
    ["https://w3id.org/stackatlas/id/", "/id/"],
    ["https://w3id.org/stackatlas/ontology#", "/ontology.html#"],
  ];
  const config = JSON.parse(document.getElementById("yasgui-config").textContent);
  const root = document.getElementById("yasgui");
  const shared = /(^|[#&])query=/.test(window.location.hash);
  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: PERSISTENCE,
    autoAddOnInit: false,
    populateFromUrl: true,
    yasqe: { autocompleters: ["variables"] },
  });
  window.yasgui = yasgui;

  let added = false;
  try {
    added = window.localStorage.getItem(EXAMPLES_ADDED) === "1";
  } catch (e) {
    added = false;
  }
  if (!added) {
    config.examples.forEach((example, index) => {
      yasgui.addTab(index === 0 && !shared, {
        name: example.name,
        yasqe: { value: example.query },
        requestConfig: { endpoint: config.endpoint, method: "POST" },
      });
    });
    try {
      window.localStorage.setItem(EXAMPLES_ADDED, "1");
    } catch (e) {
      // Private mode: the examples come back on every visit, which is harmless.
    }
  }
  if (shared) {
    // The link's query is in YASGUI now; drop it from the address so a reload
    // does not open it again.
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }

  function localise(scope) {
    scope.querySelectorAll("a[href^='https://w3id.org/stackatlas/']").forEach((a) => {
      for (const [prefix, local] of LOCAL) {
        if (a.href.startsWith(prefix)) {
          a.setAttribute("href", local + a.href.slice(prefix.length));
          a.removeAttribute("target");
          a.title = "the catalog's page for " + a.textContent;
          break;
        }
      }
    });
  }
  new MutationObserver(() => localise(root)).observe(root, { childList: true, subtree: true });
  localise(root);
})();
