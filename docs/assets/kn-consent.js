/* Kooperation & Netzwerke: one consent memory for everything that comes from
   another server: comments (Isso or giscus) and videos (YouTube, Vimeo).
   Nothing is loaded before a click. "Entscheidung merken" stores the choice per
   service in localStorage under "kn-<service>-consent" (value "ja"); every
   button with data-kn-consent-revoke, on any page, forgets all of them.
   Videos: fragments/kn/video.html; the iframe is inserted only by loadVideo. */
(function () {
  "use strict";

  var SERVICES = ["comments", "isso", "youtube", "vimeo"];
  /* What the comment clients keep in this origin's storage: giscus' login token, Isso's form fields. */
  var CLIENT_KEYS = ["giscus-session", "isso-author", "isso-email", "isso-website"];

  function key(service) {
    return "kn-" + service + "-consent";
  }

  function remembered(service) {
    try {
      return window.localStorage.getItem(key(service)) === "ja";
    } catch (e) {
      return false;
    }
  }

  function remember(service, value) {
    try {
      if (value) {
        window.localStorage.setItem(key(service), "ja");
      } else {
        window.localStorage.removeItem(key(service));
      }
    } catch (e) {
      /* Storage disabled: the choice is simply not remembered. */
    }
  }

  function anyRemembered() {
    return SERVICES.some(remembered);
  }

  window.knConsent = { remembered: remembered, remember: remember, anyRemembered: anyRemembered };

  /* Revoke: forget every choice. A page that has loaded something from another
     server reloads without it; otherwise [data-kn-consent-status] says so. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-kn-consent-revoke]") : null;
    if (!button) {
      return;
    }
    SERVICES.forEach(function (service) { remember(service, false); });
    try {
      CLIENT_KEYS.forEach(function (name) { window.localStorage.removeItem(name); });
    } catch (e) {
      /* Storage disabled: nothing was stored. */
    }
    /* Isso's edit cookies (isso-<comment number>), set on this origin. */
    document.cookie.split(/;\s*/).forEach(function (cookie) {
      var name = cookie.split("=")[0];
      if (/^isso-\d+$/.test(name)) {
        document.cookie = name + "=; max-age=0; path=/";
      }
    });
    if (document.querySelector("[data-kn-giscus-loaded], [data-kn-isso-loaded], [data-kn-video-loaded]")) {
      window.location.reload();
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-kn-consent-status]"), function (status) {
      status.textContent = "Ihre Einwilligung ist widerrufen. Kommentare und Videos werden erst nach einem neuen Klick wieder geladen.";
    });
  });

  /* Videos: the iframe only after „Video laden“ (or a remembered choice). */
  function loadVideo(box, autoplay) {
    if (box.hasAttribute("data-kn-video-loaded")) {
      return;
    }
    box.setAttribute("data-kn-video-loaded", "");
    var frame = document.createElement("iframe");
    frame.className = "kn-video__frame";
    frame.src = box.getAttribute("data-kn-video-src") + (autoplay ? "?autoplay=1" : "");
    frame.title = box.getAttribute("data-kn-video-title");
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    var placeholder = box.querySelector("[data-kn-video-placeholder]");
    placeholder.hidden = true;
    box.insertBefore(frame, placeholder);
    box.querySelector("[data-kn-video-revoke-box]").hidden = !remembered(box.getAttribute("data-kn-video-provider"));
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-kn-video]"), function (box) {
    var provider = box.getAttribute("data-kn-video-provider");
    box.querySelector("[data-kn-video-load]").addEventListener("click", function () {
      if (box.querySelector("[data-kn-video-remember]").checked) {
        remember(provider, true);
      }
      loadVideo(box, true);
    });
    if (remembered(provider)) {
      loadVideo(box, false);
    }
  });
})();
