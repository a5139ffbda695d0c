// Mounts the vendored GraphiQL (no CDN) on this server's endpoint, with the
// catalog's main questions as tabs. The page hands over the endpoint and the
// examples as JSON data, never as script, so the CSP forbids every inline script.
// "#example-N" in the address opens question N (the links above the editor).
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("graphiql-config").textContent);
  const root = document.getElementById("graphiql");
  const fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  const tabs = config.examples.map((e) => ({ query: e.query }));

  function chosen() {
    const match = /^#example-(\d+)$/.exec(window.location.hash);
    const index = match ? Number(match[1]) : 0;
    return index < tabs.length ? index : 0;
  }

  let app = null;
  function mount() {
    const index = chosen();
    if (app) app.unmount();
    app = ReactDOM.createRoot(root);
    // Not persisted: the tabs are the examples each time, so a shared
    // "#example-N" link shows that question (GraphiQL keeps history itself).
    app.render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        defaultTabs: [tabs[index], ...tabs.filter((_, i) => i !== index)],
        query: tabs[index].query,
        storage: window.sessionStorage,
        defaultEditorToolsVisibility: false,
        isHeadersEditorEnabled: false,
      })
    );
  }
  window.addEventListener("hashchange", mount);
  mount();
})();
