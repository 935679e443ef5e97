/* Kooperation & Netzwerke: comments through Isso, the operator's own comment
   server (fragments/kn/comments-isso.html). Nothing is requested from it before
   "Kommentare laden" or a remembered consent (the service named by the box's
   data-kn-consent, CONSENT of hooks/kn/comment_providers/isso.py).
   Then Isso's client (embed.min.js) comes from the operator's address, with
   German texts of our own and our stylesheet; focus moves to the thread. If the
   client or its server does not answer, the e-mail box takes its place. */
(function () {
  "use strict";

  var WAIT_MS = 10000;
  /* Isso's own wording replaced where it allows it (data-isso-<key>-text-de). */
  var TEXTS = {
    "postbox-text": "Ihr Kommentar (mindestens 3 Zeichen)",
    "postbox-author": "Name (freiwillig)",
    "postbox-author-placeholder": "z. B. Vorname oder Kürzel",
    "postbox-email": "E-Mail (freiwillig, wird nie angezeigt)",
    "postbox-email-placeholder": "name@beispiel.de",
    "postbox-submit": "Kommentar senden",
    "comment-queued": "Danke! Ihr Kommentar erscheint, sobald die Redaktion ihn gelesen und freigegeben hat.",
    "no-comments": "Noch keine Kommentare. Schreiben Sie den ersten!",
    "num-comments": "1 Kommentar\n{{ n }} Kommentare",
    "comment-anonymous": "Anonym"
  };
  var box = document.querySelector("[data-kn-isso]");
  if (!box) {
    return;
  }
  var SERVICE = box.getAttribute("data-kn-consent");
  var thread = box.querySelector("#isso-thread");
  var fallback = box.querySelector("[data-kn-isso-fallback]");
  var timer = null;

  function showRevoke() {
    box.querySelector("[data-kn-isso-revoke-box]").hidden = false;
    box.querySelector("[data-kn-isso-remembered]").hidden = !window.knConsent.remembered(SERVICE);
  }

  function fail(focus) {
    if (box.hasAttribute("data-kn-isso-ready")) {
      return;
    }
    window.clearTimeout(timer);
    box.setAttribute("data-kn-isso-failed", "");
    thread.hidden = true;
    fallback.hidden = false;
    if (focus) {
      fallback.tabIndex = -1; /* focusable by script only, not in the Tab order */
      fallback.focus();
    }
  }

  function ready(focus) {
    window.clearTimeout(timer);
    box.setAttribute("data-kn-isso-ready", "");
    if (focus) {
      thread.tabIndex = -1;
      thread.focus();
    }
  }

  function load(focus) {
    if (box.hasAttribute("data-kn-isso-loaded")) {
      return;
    }
    box.setAttribute("data-kn-isso-loaded", "");
    box.setAttribute("data-kn-consent-loaded", ""); /* revoking reloads the page */
    box.querySelector("[data-kn-isso-placeholder]").hidden = true;
    thread.hidden = false;
    showRevoke();
    var url = box.getAttribute("data-kn-isso-url");
    var script = document.createElement("script");
    var settings = {
      "data-isso": url,
      "data-isso-lang": "de",
      "data-isso-css-url": box.getAttribute("data-kn-isso-css"),
      "data-isso-avatar": "false",
      "data-isso-vote": "false",
      "data-isso-sorting": "oldest",
      "data-isso-max-comments-nested": "inf"
    };
    Object.keys(TEXTS).forEach(function (key) {
      settings["data-isso-" + key + "-text-de"] = TEXTS[key].replace(/\n/g, "\\n");
    });
    Object.keys(settings).forEach(function (name) {
      script.setAttribute(name, settings[name]);
    });
    script.src = url + "js/embed.min.js";
    script.onerror = function () { fail(focus); };
    new MutationObserver(function (changes, observer) {
      if (thread.querySelector(".isso-postbox")) {
        observer.disconnect();
        ready(focus);
      }
    }).observe(thread, { childList: true, subtree: true });
    timer = window.setTimeout(function () { fail(focus); }, WAIT_MS);
    document.body.appendChild(script);
  }

  box.querySelector("[data-kn-isso-load]").addEventListener("click", function () {
    if (box.querySelector("[data-kn-isso-remember]").checked) {
      window.knConsent.remember(SERVICE, true);
    }
    load(true);
  });

  if (window.knConsent.remembered(SERVICE)) {
    load(false);
  }
})();
