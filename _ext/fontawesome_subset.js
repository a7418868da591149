/* The few Font Awesome 6 icons (CC BY 4.0, https://fontawesome.com/license/free) that
   this book's pages use, drawn as inline SVG: the theme's full fontawesome.js is 1.45 MB.
   ICONS is filled in when the book is built (see book_offline.py), which also writes the
   pages' own icons as inline SVG; this script draws those that other scripts add later. */
(function () {
  "use strict";
  var ICONS = /*ICONS*/{};
  var STYLES = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far",
                "fa-brands": "fab", "fab": "fab"};
  var NS = "http://www.w3.org/2000/svg";

  function swap(el) {
    var pack = "fas", name = null;
    el.classList.forEach(function (c) { if (STYLES[c]) { pack = STYLES[c]; } });
    el.classList.forEach(function (c) {
      if (c.indexOf("fa-") === 0 && ICONS[pack] && ICONS[pack][c.slice(3)]) { name = c.slice(3); }
    });
    if (!name) { return; }
    var icon = ICONS[pack][name];
    var svg = document.createElementNS(NS, "svg");
    for (var i = 0; i < el.attributes.length; i++) {
      svg.setAttribute(el.attributes[i].name, el.attributes[i].value);
    }
    svg.setAttribute("class", (el.getAttribute("class") || "") + " svg-inline--fa");
    svg.setAttribute("viewBox", "0 0 " + icon[0] + " " + icon[1]);
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(NS, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", icon[2]);
    svg.appendChild(path);
    el.parentNode.replaceChild(svg, el);
  }

  function run() {
    // the page's own icons are inline SVG already (book_offline.inline_icons)
    new MutationObserver(function (changes) {  // icons the theme's scripts add later
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) { return; }
          if (node.matches("i[class*='fa-'], span[class*='fa-']")) { swap(node); }
          node.querySelectorAll("i[class*='fa-'], span[class*='fa-']").forEach(swap);
        });
      });
    }).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
