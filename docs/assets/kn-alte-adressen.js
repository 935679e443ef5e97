// Old short links of an imported blog, like /?p=123 (data/redirects.yml):
// a static host serves the start page for them, so the start page looks the
// query up in alte-adressen.json (written by hooks/kn/publish/redirects.py) and goes on.
//
// Nothing here reads the page's DOM: a page body could name an element
// "currentScript" (or any other document property) and so hand this script
// another map. The map lies next to the start page, which is the only page
// that loads this script, and every target must stay on this site.
(function () {
  "use strict";
  var match = window.location.search.match(/^\?[A-Za-z_][\w-]*=[\w-]+/);
  if (!match) {
    return;
  }
  var map = new URL("alte-adressen.json", window.location.href);
  window.fetch(map.href, { credentials: "same-origin", redirect: "error" })
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (targets) {
      var target = Object.prototype.hasOwnProperty.call(targets, match[0]) ? targets[match[0]] : null;
      if (typeof target !== "string") {
        return;
      }
      var next = new URL(target, map.href);
      if (next.origin === window.location.origin && (next.protocol === "https:" || next.protocol === "http:")) {
        window.location.replace(next.href);
      }
    })
    .catch(function () {});
})();
