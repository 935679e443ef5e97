/* Kooperation & Netzwerke: comments through giscus, only after consent.
   Loaded only on articles with open comments (fragments/kn/comments-giscus.html).
   Nothing is requested from giscus.app or GitHub before the reader clicks
   "Kommentare laden", or has ticked "Entscheidung merken" on an earlier visit.
   The choice is kept by the shared consent memory (assets/kn-consent.js) under
   the service named by the box's data-kn-consent (CONSENT of
   hooks/kn/comment_providers/giscus.py), which also handles "Zustimmung widerrufen". */
(function () {
  "use strict";

  var GISCUS = "https://giscus.app";
  var box = document.querySelector("[data-kn-giscus]");
  if (!box) {
    return;
  }
  var SERVICE = box.getAttribute("data-kn-consent");

  function remembered() {
    return window.knConsent.remembered(SERVICE);
  }

  /* Material's palette: "slate" is the dark scheme. */
  function theme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  function showRevoke() {
    box.querySelector("[data-kn-giscus-revoke-box]").hidden = false;
    box.querySelector("[data-kn-giscus-remembered]").hidden = !remembered();
  }

  function load() {
    if (box.hasAttribute("data-kn-giscus-loaded")) {
      return;
    }
    box.setAttribute("data-kn-giscus-loaded", "");
    box.setAttribute("data-kn-consent-loaded", ""); /* revoking reloads the page */
    var script = document.createElement("script");
    var settings = {
      "data-repo": box.dataset.repo,
      "data-repo-id": box.dataset.repoId,
      "data-category": box.dataset.category,
      "data-category-id": box.dataset.categoryId,
      "data-mapping": box.dataset.mapping,
      "data-strict": "1",
      "data-reactions-enabled": "1",
      "data-emit-metadata": "0",
      "data-input-position": "bottom",
      "data-lang": "de",
      "data-theme": theme(),
      "data-loading": "lazy"
    };
    Object.keys(settings).forEach(function (name) {
      script.setAttribute(name, settings[name]);
    });
    script.src = GISCUS + "/client.js";
    script.async = true;
    script.crossOrigin = "anonymous";
    script.onerror = function () {
      var fallback = box.querySelector("[data-kn-giscus-fallback]");
      fallback.hidden = false;
      fallback.tabIndex = -1;
      fallback.focus();
    };
    box.querySelector(".giscus").appendChild(script);
    box.querySelector("[data-kn-giscus-placeholder]").hidden = true;
    showRevoke();
  }

  /* Follow the palette toggle: tell the giscus iframe about the new theme. */
  new MutationObserver(function () {
    var frame = box.querySelector("iframe.giscus-frame");
    if (frame && frame.contentWindow) {
      frame.contentWindow.postMessage({ giscus: { setConfig: { theme: theme() } } }, GISCUS);
    }
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  box.querySelector("[data-kn-giscus-load]").addEventListener("click", function () {
    if (box.querySelector("[data-kn-giscus-remember]").checked) {
      window.knConsent.remember(SERVICE, true);
    }
    load();
  });

  if (remembered()) {
    load();
  }
})();
