// Opens YASGUI on the endpoint with one tab per example query. The page hands
// over the endpoint and the examples as JSON data (never as script), so the
// Content-Security-Policy can forbid every inline script.
"use strict";
const config = JSON.parse(document.getElementById("yasgui-config").textContent);
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: config.endpoint, method: "POST" },
  copyEndpointOnNewTab: true,
  persistenceId: null,
  autoAddOnInit: false,
  populateFromUrl: false,
  yasqe: { autocompleters: ["variables"] },
});
config.examples.forEach((example, index) => {
  yasgui.addTab(index === 0, {
    name: example.name,
    yasqe: { value: example.query },
    requestConfig: { endpoint: config.endpoint, method: "POST" },
  });
});
