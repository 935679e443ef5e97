/* Kooperation & Netzwerke: the preview opened from a folder on disk (file://,
   the pull request's artifact, hooks/kn/publish/preview.py). Every page and link works
   there, the search cannot: browsers do not let a page's script fetch the
   search index from file://. So the search field says so instead of staying
   silently empty, and one line above the content explains it. */
(function () {
  "use strict";

  if (window.location.protocol !== "file:") {
    return;
  }
  var NOTE = "Die Suche braucht einen Webserver und ist in dieser Vorschau ausgeschaltet. " +
    "Alle Seiten und Links funktionieren; auf der veröffentlichten Website sucht die Suche wie gewohnt.";

  Array.prototype.forEach.call(
    document.querySelectorAll(".md-search__input, [data-md-component='search-query'], input[type='search']"),
    function (input) {
      input.disabled = true;
      input.placeholder = "Suche nur online";
      input.title = NOTE;
      input.setAttribute("aria-description", NOTE);
    }
  );

  var content = document.querySelector(".md-content__inner") || document.querySelector("main");
  if (content) {
    var hint = document.createElement("p");
    hint.className = "kn-datei-hinweis";
    hint.setAttribute("role", "note");
    hint.textContent = "Vorschau ohne Webserver: " + NOTE;
    content.insertBefore(hint, content.firstChild);
  }
})();
