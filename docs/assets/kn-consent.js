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
