/* Kooperation & Netzwerke: behaviour that pages need, no framework. */

/* ---------------------------------------------------------------------------
   Checklists: ticks kept per checklist in localStorage, reset, print.
   Without JavaScript the boxes still tick, and "Checkliste drucken" is a
   plain link to the checklist's own page.
   ------------------------------------------------------------------------- */

(function () {
  "use strict";

  var PREFIX = "kn-checkliste:";
  var PRINT_PARAM = "drucken";
  var FRAME_CLASS = "kn-print-frame";

  function storageKey(name) {
    return PREFIX + name;
  }

  function load(name) {
    try {
      var value = JSON.parse(window.localStorage.getItem(storageKey(name)));
      return Array.isArray(value) ? value : [];
    } catch (error) {
      return [];
    }
  }

  function store(name, ticks) {
    try {
      if (ticks.some(Boolean)) {
        window.localStorage.setItem(storageKey(name), JSON.stringify(ticks));
      } else {
        window.localStorage.removeItem(storageKey(name));
      }
    } catch (error) {
      /* Storage may be disabled: ticks then last until the page is left. */
    }
  }

  function boxes(container) {
    return Array.prototype.slice.call(
      container.querySelectorAll('.task-list-item input[type="checkbox"]')
    );
  }

  function containers(name) {
    return Array.prototype.filter.call(
      document.querySelectorAll(".kn-checklist[data-checklist]"),
      function (container) { return container.getAttribute("data-checklist") === name; }
    );
  }

  /* Show the stored ticks in every copy of the checklist on this page. */
  function apply(name, ticks) {
    containers(name).forEach(function (container) {
      boxes(container).forEach(function (box, index) {
        box.checked = ticks[index] === true;
      });
    });
  }

  /* Print only the checklist, as its own page, without leaving the article:
     its page is loaded with ?drucken in a hidden frame and prints itself.
     The frame stays until the next print (browsers differ in when printing
     ends), and kn.css keeps it out of sight. */
  function printInFrame(url) {
    var old = document.querySelector("." + FRAME_CLASS);
    if (old) {
      old.remove();
    }
    var frame = document.createElement("iframe");
    frame.className = FRAME_CLASS;
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.title = "Druckansicht der Checkliste";
    frame.src = url;
    document.body.appendChild(frame);
  }

  function printUrl(link) {
    var url = new URL(link.href, window.location.href);
    url.search = "?" + PRINT_PARAM;
    return url.href;
  }

  function setUp(container) {
    var name = container.getAttribute("data-checklist");
    var ownPage = container.classList.contains("kn-checklist--page");

    container.addEventListener("change", function (event) {
      if (!event.target.matches('input[type="checkbox"]')) {
        return;
      }
      var ticks = boxes(container).map(function (box) { return box.checked; });
      store(name, ticks);
      apply(name, ticks);
    });

    var reset = container.querySelector("[data-kn-reset]");
    if (reset) {
      reset.hidden = false;
      reset.addEventListener("click", function () {
        store(name, []);
        apply(name, []);
      });
    }

    var link = container.querySelector("[data-kn-print]");
    if (link) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
          return;  /* Open in a new tab or window as the reader asked. */
        }
        event.preventDefault();
        if (ownPage) {
          window.print();
        } else {
          printInFrame(printUrl(link));
        }
      });
    }

    apply(name, load(name));
  }

  /* Focus first: some browsers otherwise print the page around a frame. */
  function printSelf() {
    window.focus();
    window.print();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".kn-checklist[data-checklist]"), setUp);

    /* Ticks made in another tab show here too. */
    window.addEventListener("storage", function (event) {
      if (event.key && event.key.indexOf(PREFIX) === 0) {
        apply(event.key.slice(PREFIX.length), load(event.key.slice(PREFIX.length)));
      }
    });

    /* A page opened with ?drucken prints itself once it has loaded. */
    if (new URLSearchParams(window.location.search).has(PRINT_PARAM)) {
      if (document.readyState === "complete") {
        window.setTimeout(printSelf, 0);
      } else {
        window.addEventListener("load", printSelf);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* ---------------------------------------------------------------------------
   Share: „Link kopieren“ copies the article's address (Clipboard API) and says
   so; where the browser refuses, the address is shown selected for Ctrl+C.
   Without JavaScript the button stays hidden and a plain link is shown.
   ------------------------------------------------------------------------- */

(function () {
  "use strict";

  var CLEAR_AFTER = 4000;

  function showAddress(status, url) {
    status.textContent = "Bitte kopieren Sie den Link: ";
    var field = document.createElement("input");
    field.type = "text";
    field.readOnly = true;
    field.value = url;
    field.className = "kn-share__field";
    field.setAttribute("aria-label", "Link zum Artikel");
    status.appendChild(field);
    field.focus();
    field.select();
  }

  function setUp(button) {
    var section = button.closest(".kn-share");
    var status = section && section.querySelector("[data-kn-copy-status]");
    var item = button.closest("[data-kn-copy-item]");
    if (!status || !item) {
      return;
    }
    var timer = null;
    item.hidden = false;
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-kn-copy");
      window.clearTimeout(timer);
      if (!navigator.clipboard || !window.isSecureContext) {
        showAddress(status, url);
        return;
      }
      navigator.clipboard.writeText(url).then(function () {
        status.textContent = "Link kopiert.";
        timer = window.setTimeout(function () { status.textContent = ""; }, CLEAR_AFTER);
      }, function () {
        showAddress(status, url);
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-kn-copy]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
