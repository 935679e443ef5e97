// Old short links of an imported blog, like /?p=123 (data/redirects.yml):
// a static host serves the start page for them, so the start page looks the
// query up in alte-adressen.json (written by hooks/redirects.py) and goes on.
(function () {
  "use strict";
  var script = document.currentScript;
  var match = window.location.search.match(/^\?[A-Za-z_][\w-]*=[\w-]+/);
  if (!script || !match) {
    return;
  }
  var map = new URL(script.dataset.map, window.location.href);
  fetch(map.href)
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (targets) {
      var target = targets[match[0]];
      if (typeof target === "string") {
        window.location.replace(new URL(target, map.href).href);
      }
    })
    .catch(function () {});
})();
