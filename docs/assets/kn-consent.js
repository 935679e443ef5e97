/* Kooperation & Netzwerke: one consent memory for everything that comes from
   another server: comments (the provider's client) and videos (YouTube, Vimeo).
   Nothing is loaded before a click. "Entscheidung merken" stores the choice per
   service in localStorage under "kn-<service>-consent" (value "ja"); every
   button with data-kn-consent-revoke, on any page, forgets all of them, and
   what the comment clients keep in this origin: the storage keys and cookie
   names every page's <meta name="kn-consent-storage"> and
   <meta name="kn-consent-cookies"> list (from hooks/kn/comment_providers/).
   This script knows no provider: a client marks what it loaded with
   data-kn-consent-loaded. Videos: fragments/kn/video.html; the iframe is
   inserted only by loadVideo. */
(function () {
  "use strict";

  var CONSENT_KEY = /^kn-[a-z0-9]+-consent$/;

  function key(service) {
    return "kn-" + service + "-consent";
  }

  /* Space-separated values of <meta name="…"> (none: an empty list). */
  function listed(name) {
    var meta = document.querySelector('meta[name="' + name + '"]');
    return meta ? meta.getAttribute("content").split(/\s+/).filter(Boolean) : [];
  }

  /* Every remembered choice in this origin's storage, whichever service. */
  function consentKeys() {
    var keys = [];
    try {
      for (var i = 0; i < window.localStorage.length; i += 1) {
        if (CONSENT_KEY.test(window.localStorage.key(i))) {
          keys.push(window.localStorage.key(i));
        }
      }
    } catch (e) {
      /* Storage disabled: nothing was stored. */
    }
    return keys;
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
    return consentKeys().some(function (name) {
      return remembered(name.slice(3, -8));
    });
  }

  window.knConsent = { remembered: remembered, remember: remember, anyRemembered: anyRemembered };

  /* Revoke: forget every choice. A page that has loaded something from another
     server reloads without it; otherwise [data-kn-consent-status] says so. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-kn-consent-revoke]") : null;
    if (!button) {
      return;
    }
    try {
      consentKeys().concat(listed("kn-consent-storage")).forEach(function (name) {
        window.localStorage.removeItem(name);
      });
    } catch (e) {
      /* Storage disabled: nothing was stored. */
    }
    /* The clients' cookies on this origin (e.g. Isso's edit cookies isso-<number>). */
    var cookies = listed("kn-consent-cookies").map(function (pattern) { return new RegExp(pattern); });
    document.cookie.split(/;\s*/).forEach(function (cookie) {
      var name = cookie.split("=")[0];
      if (cookies.some(function (pattern) { return pattern.test(name); })) {
        document.cookie = name + "=; max-age=0; path=/";
      }
    });
    if (document.querySelector("[data-kn-consent-loaded]")) {
      window.location.reload();
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-kn-consent-status]"), function (status) {
      status.textContent = "Ihre Einwilligung ist widerrufen. Kommentare und Videos werden erst nach einem neuen Klick wieder geladen.";
    });
  });

  /* Videos: the iframe only after „Video laden“ (or a remembered choice).
     After a click, focus moves to the player; where it cannot load (offline,
     refused by the page's CSP or a blocker, no answer within
     window.knVideoTimeout ms) a German message with the direct link says so. */
  var VIDEO_TIMEOUT = 15000;

  function videoFailed(box, frame) {
    if (box.hasAttribute("data-kn-video-failed")) {
      return;
    }
    box.setAttribute("data-kn-video-failed", "");
    frame.hidden = true;
    var status = box.querySelector("[data-kn-video-status]");
    var link = box.querySelector(".kn-video__link a");
    status.textContent = "Das Video konnte nicht geladen werden: Ihr Browser hat keine Verbindung zu " +
      box.getAttribute("data-kn-video-host") + " bekommen (vielleicht sind Sie offline, oder ein " +
      "Inhaltsblocker oder eine Firewall verhindert sie). Sie können es direkt bei " +
      box.getAttribute("data-kn-video-name") + " ansehen: ";
    if (link) {
      var copy = link.cloneNode(true);
      status.appendChild(copy);
      status.appendChild(document.createTextNode("."));
    }
    status.hidden = false;
    status.setAttribute("tabindex", "-1");
    if (box.contains(document.activeElement) || document.activeElement === frame) {
      status.focus();
    }
  }

  function watchVideo(box, frame) {
    var loaded = false;
    frame.addEventListener("load", function () { loaded = true; });
    if (navigator.onLine === false) {
      videoFailed(box, frame);
      return;
    }
    var origin = frame.src.split("/").slice(0, 3).join("/");
    document.addEventListener("securitypolicyviolation", function (event) {
      if (String(event.blockedURI).indexOf(origin) === 0) {
        videoFailed(box, frame);
      }
    });
    window.setTimeout(function () {
      if (!loaded) {
        videoFailed(box, frame);
      }
    }, window.knVideoTimeout || VIDEO_TIMEOUT);
  }

  function loadVideo(box, autoplay) {
    if (box.hasAttribute("data-kn-video-loaded")) {
      return;
    }
    box.setAttribute("data-kn-video-loaded", "");
    box.setAttribute("data-kn-consent-loaded", ""); /* revoking reloads the page */
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
    watchVideo(box, frame);
    return frame;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-kn-video]"), function (box) {
    var provider = box.getAttribute("data-kn-video-provider");
    /* The script runs: offer the button instead of the note for browsers without it. */
    box.querySelector("[data-kn-video-nojs]").hidden = true;
    box.querySelector("[data-kn-video-actions]").hidden = false;
    box.querySelector("[data-kn-video-load]").addEventListener("click", function () {
      if (box.querySelector("[data-kn-video-remember]").checked) {
        remember(provider, true);
      }
      var frame = loadVideo(box, true);
      if (frame && !box.hasAttribute("data-kn-video-failed")) {
        frame.focus(); /* keyboard users continue in the player, not at <body> */
      }
    });
    if (remembered(provider)) {
      loadVideo(box, false);
    }
  });
})();
