/* Kooperation & Netzwerke: the header's search, with Pagefind (hooks/kn/publish/search.py).
   Nothing is loaded on a page view: only when the reader goes into the search
   field (click, tap, "/" or Tab) does pagefind/pagefind.js start loading, and
   only typing fetches the parts of the index a query needs, all from this site. Results are
   drawn in Material's search markup, so they look like Material's search.
   Keys: arrow keys move between field and results, Enter opens the first
   (or focused) result, Escape closes the search. */

(function () {
  "use strict";

  var root = document.querySelector("[data-kn-search]");
  if (!root || !("fetch" in window)) {
    return;
  }
  var input = root.querySelector("[data-kn-search-query]");
  var form = input.form;
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var scrollwrap = root.querySelector(".md-search__scrollwrap");
  var toggle = document.getElementById("__search");
  var bundle = new URL(root.getAttribute("data-kn-search"), document.baseURI);
  var siteRoot = new URL("../", bundle).pathname;
  var PAGE_SIZE = 10;
  var MAX_VARIANTS = 8;
  var DEBOUNCE_MS = 150;
  var MIN_LENGTH = 2; /* one letter would fetch a large part of the index for nothing */
  var TEXT = {
    placeholder: meta.textContent.trim(),
    loading: "Suche wird geladen …",
    none: "Keine Treffer",
    hint: "Prüfen Sie die Schreibweise oder versuchen Sie ein anderes, allgemeineres Wort – etwa „Vertrag“ statt „Vertragsentwurf“.",
    failed: "Die Suche konnte nicht geladen werden. Bitte laden Sie die Seite neu.",
    more: "Weitere Treffer zeigen"
  };

  var pagefind = null; /* Promise of the Pagefind module, made on first input */
  var generation = 0; /* the newest query; older answers are dropped */
  var timer = 0;
  var pending = []; /* results not yet shown (for "Weitere Treffer") */
  var terms = [];

  /* --- Loading ------------------------------------------------------------ */

  function load() {
    if (!pagefind) {
      pagefind = import(bundle.href).then(function (module) {
        return module.options({ baseUrl: siteRoot, excerptLength: 22 }).then(function () {
          return module.init();
        }).then(function () {
          return module;
        });
      });
      pagefind.catch(function () {
        pagefind = null;
      });
    }
    return pagefind;
  }

  /* --- Queries: spellings without umlauts ---------------------------------- */

  var UMLAUT = { a: "ä", o: "ö", u: "ü", A: "Ä", O: "Ö", U: "Ü" };

  /* The spellings a word may mean: as typed, and with ae/oe/ue as ä/ö/ü
     (ss needs nothing: the German stemmer treats ß as ss). */
  function spellings(word) {
    var folded = word.replace(/([aouAOU])[eE]/g, function (match, vowel) {
      return UMLAUT[vowel];
    });
    return folded === word ? [word] : [word, folded];
  }

  /* Every combination of the words' spellings, the typed one first. */
  function variants(query) {
    var words = query.split(/\s+/).filter(Boolean);
    var combos = [[]];
    words.forEach(function (word) {
      var next = [];
      combos.forEach(function (combo) {
        spellings(word).forEach(function (spelling) {
          if (next.length < MAX_VARIANTS) {
            next.push(combo.concat(spelling));
          }
        });
      });
      combos = next;
    });
    return combos.map(function (combo) {
      return combo.join(" ");
    });
  }

  /* One search per spelling; a page found by several keeps its best score. */
  function searchAll(module, query) {
    var queries = variants(query);
    return Promise.all(queries.map(function (q) {
      return module.search(q);
    })).then(function (answers) {
      var best = {};
      answers.forEach(function (answer) {
        (answer && answer.results || []).forEach(function (result) {
          if (!best[result.id] || best[result.id].score < result.score) {
            best[result.id] = result;
          }
        });
      });
      return Object.keys(best).map(function (id) {
        return best[id];
      }).sort(function (a, b) {
        return b.score - a.score;
      });
    });
  }

  /* --- Drawing --------------------------------------------------------------- */

  function fold(text) {
    return text.toLowerCase().replace(/ä|ae/g, "a").replace(/ö|oe/g, "o").replace(/ü|ue/g, "u").replace(/ß/g, "ss");
  }

  /* Pagefind's excerpt is HTML-escaped text: decoded as text, never as markup. */
  var decoder = document.createElement("textarea");
  function decode(text) {
    decoder.innerHTML = text;
    return decoder.value;
  }

  /* Text with <mark> only where Pagefind marked the hits; everything else is text. */
  function marked(parent, excerpt) {
    excerpt.split(/(<mark>|<\/mark>)/).reduce(function (inside, part) {
      if (part === "<mark>") {
        return true;
      }
      if (part === "</mark>") {
        return false;
      }
      if (part) {
        var node = document.createTextNode(decode(part));
        if (inside) {
          var mark = document.createElement("mark");
          mark.appendChild(node);
          node = mark;
        }
        parent.appendChild(node);
      }
      return inside;
    }, false);
  }

  /* The title, its words marked where they begin like a query word. */
  function title(parent, text) {
    text.split(/(\s+)/).forEach(function (word) {
      var plain = fold(word.replace(/^[^\wäöüÄÖÜß]+|[^\wäöüÄÖÜß]+$/g, ""));
      var hit = plain.length > 2 && terms.some(function (term) {
        return plain.indexOf(term) === 0 || (term.indexOf(plain) === 0 && plain.length > 3);
      });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = word;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(word));
      }
    });
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = data.url;
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-search-result__article--document md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    article.appendChild(icon);
    var kind = (data.meta && data.meta.art) || "";
    var series = (data.meta && data.meta.reihe) || "";
    if (kind || series) {
      var context = document.createElement("p");
      context.className = "kn-search-result__context";
      context.textContent = series ? (kind === "Reihe" ? "Reihe" : "Reihe „" + series + "“") : kind;
      article.appendChild(context);
    }
    var heading = document.createElement("h3");
    heading.className = "kn-search-result__title";
    title(heading, (data.meta && data.meta.title) || data.url);
    article.appendChild(heading);
    if (data.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "kn-search-result__excerpt";
      marked(excerpt, data.excerpt);
      article.appendChild(excerpt);
    }
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function status(text, hint) {
    meta.textContent = text;
    if (hint) {
      var p = document.createElement("p");
      p.className = "kn-search__hint";
      p.textContent = hint;
      meta.appendChild(p);
    }
  }

  function count(total) {
    return total === 1 ? "1 Treffer" : total + " Treffer";
  }

  function showMore(mine) {
    var batch = pending.splice(0, PAGE_SIZE);
    var old = list.querySelector(".kn-search__more");
    return Promise.all(batch.map(function (result) {
      return result.data();
    })).then(function (pages) {
      if (mine !== generation) {
        return;
      }
      if (old) {
        old.remove();
      }
      pages.forEach(function (data) {
        list.appendChild(item(data));
      });
      if (pending.length) {
        var li = document.createElement("li");
        li.className = "md-search-result__item kn-search__more";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-search-result__link kn-search__more-button";
        button.tabIndex = -1;
        button.textContent = TEXT.more + " (" + pending.length + ")";
        button.addEventListener("click", function () {
          showMore(mine).then(function () {
            var links = focusables();
            if (links[batch.length]) {
              links[links.length - Math.min(PAGE_SIZE, links.length)].focus();
            }
          });
        });
        li.appendChild(button);
        list.appendChild(li);
      }
    });
  }

  /* The query whose results are shown (for tests and styles). */
  function done(mine, query) {
    if (mine === generation) {
      root.setAttribute("data-kn-search-done", query);
    }
  }

  function run(query) {
    var mine = ++generation;
    query = query.trim();
    root.removeAttribute("data-kn-search-done");
    if (query.length < MIN_LENGTH) {
      list.textContent = "";
      pending = [];
      status(TEXT.placeholder);
      return Promise.resolve();
    }
    if (!pagefind) {
      status(TEXT.loading);
    }
    return load().then(function (module) {
      return searchAll(module, query);
    }).then(function (results) {
      if (mine !== generation) {
        return;
      }
      terms = query.split(/\s+/).map(function (word) {
        /* A rough stem, for marking title words only: "Netzwerke" marks "Netzwerkveranstaltungen". */
        var plain = fold(word);
        return plain.length > 4 ? plain.replace(/(en|er|es|e|n|s)$/, "") : plain;
      }).filter(function (t) { return t.length > 1; });
      list.textContent = "";
      pending = results;
      if (!results.length) {
        status(TEXT.none + " für „" + query + "“.", TEXT.hint);
        return;
      }
      status(count(results.length));
      return showMore(mine);
    }).catch(function () {
      if (mine === generation) {
        status(TEXT.failed);
      }
    }).then(function () {
      done(mine, query);
    });
  }

  /* --- Opening, closing, keys ------------------------------------------------ */

  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
    }
  }

  function close() {
    if (toggle) {
      toggle.checked = false;
    }
    input.blur();
  }

  function focusables() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
  }

  input.addEventListener("focus", function () {
    open();
    load().catch(function () {});
  });
  input.addEventListener("input", function () {
    open();
    root.removeAttribute("data-kn-search-done");
    window.clearTimeout(timer);
    var query = input.value;
    /* The search waits for a pause in typing: the index parts of every
       intermediate prefix ("Ve", "Ver", …) would cost more than they save. */
    load().catch(function () {});
    timer = window.setTimeout(function () {
      run(query);
    }, DEBOUNCE_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () {
      run("");
      input.focus();
    }, 0);
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        input.focus();
      }
    });
  }

  root.addEventListener("keydown", function (event) {
    if (!toggle || !toggle.checked) {
      return;
    }
    var links = focusables();
    var index = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length) {
        return;
      }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = index === -1 ? (step > 0 ? 0 : links.length - 1) : index + step;
      if (next < 0 || next >= links.length) {
        input.focus();
      } else {
        links[next].focus();
        links[next].scrollIntoView({ block: "nearest" });
      }
    } else if (event.key === "Enter" && document.activeElement === input) {
      event.preventDefault();
      var first = links[0];
      if (first && first.tagName === "A") {
        window.location.href = first.href;
      }
    } else if (index !== -1 && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      /* Typing on a result goes on in the field, as in Material. */
      input.focus();
    }
  });

  /* "/" (or "s", "f") anywhere else opens the search, as in Material. */
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || (toggle && toggle.checked)) {
      return;
    }
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      open();
      input.focus();
    }
  });

  /* A click on a result closes the search (the page may only change its anchor). */
  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a.md-search-result__link")) {
      close();
    }
  });

  if (scrollwrap) {
    scrollwrap.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        close();
      }
    });
  }
})();
