/* The header's download menu, the tooltips of its buttons and the back-to-top button: the
   three things this book's pages used the theme's Bootstrap bundle for (81 kB of script
   parsed on every page). Written to _static/scripts/book-ui.js when the book is built, in
   the bundle's place (see book_offline.py).
   - The menu opens on a click, or from the keyboard with the arrow keys; the arrows move
     through its items, Escape closes it and returns to its button; a click elsewhere or
     focus leaving it closes it. It opens below its button, inside the screen.
   - A tooltip shows the button's title after half a second of hovering, or when the button
     gets keyboard focus; Escape hides it. It sits on the side the button asks for
     (data-bs-placement) or, if that side has no room, on the first one that does. */
(function () {
  "use strict";
  var TIP = '[data-bs-toggle="tooltip"]';
  var MENU = '[data-bs-toggle="dropdown"]';
  var GAP = 6;          // px between a button and its tooltip (the arrow's length)
  var SPACER = 2;       // px between the menu's button and the menu
  var SHOW_DELAY = 500; // ms, as the theme had it
  var HIDE_DELAY = 100;

  /* ---- the download menu ---- */
  function menuOf(toggle) {
    return toggle.parentElement && toggle.parentElement.querySelector(".dropdown-menu");
  }

  function itemsOf(menu) {
    return Array.prototype.filter.call(menu.querySelectorAll(".dropdown-item"), function (i) {
      return !i.disabled && !i.classList.contains("disabled");
    });
  }

  function isOpen(toggle) { return toggle.getAttribute("aria-expanded") === "true"; }

  function place(toggle, menu) {
    var box = toggle.parentElement.getBoundingClientRect();
    var button = toggle.getBoundingClientRect();
    var width = menu.offsetWidth;
    var screen = document.documentElement.clientWidth;
    var left = Math.max(0, Math.min(button.left, screen - width)); // inside the screen
    menu.style.cssText = "position: absolute; inset: 0px auto auto 0px; margin: 0px; " +
      "transform: translate(" + Math.round(left - box.left) + "px, " +
      Math.round(button.bottom + SPACER - box.top) + "px);";
  }

  function setOpen(toggle, open) {
    var menu = menuOf(toggle);
    if (!menu) { return; }
    toggle.classList.toggle("show", open);
    menu.classList.toggle("show", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      hideTip();
      place(toggle, menu);
    } else {
      menu.style.cssText = "";
    }
  }

  function closeMenus(except) {
    document.querySelectorAll(MENU).forEach(function (t) {
      if (t !== except && isOpen(t)) { setOpen(t, false); }
    });
  }

  function ownerOf(target) {
    var toggle = target.closest(MENU);
    if (toggle) { return toggle; }
    var menu = target.closest(".dropdown-menu");
    return menu && menu.parentElement ? menu.parentElement.querySelector(MENU) : null;
  }

  /* ---- tooltips ---- */
  var tip = null, tipFor = null, timer = 0;

  // The title moves to the tooltip (the browser would show its own as well); a button
  // with no text keeps it as its name.
  function prepare(el) {
    var title = el.getAttribute("title");
    if (!title) { return; }
    if (!el.hasAttribute("aria-label") && !el.textContent.trim()) {
      el.setAttribute("aria-label", title);
    }
    el.setAttribute("data-bs-original-title", title);
    el.removeAttribute("title");
  }

  function tipText(el) {
    return el.getAttribute("data-bs-title") || el.getAttribute("data-bs-original-title") || "";
  }

  function placeTip(el, box) {
    var r = el.getBoundingClientRect();
    var w = box.offsetWidth, h = box.offsetHeight;
    var screenW = document.documentElement.clientWidth, screenH = window.innerHeight;
    var room = {
      bottom: r.bottom + GAP + h <= screenH, top: r.top - GAP - h >= 0,
      right: r.right + GAP + w <= screenW, left: r.left - GAP - w >= 0
    };
    var want = el.getAttribute("data-bs-placement") || "top";
    var side = [want, "top", "right", "bottom", "left"].filter(function (s) {
      return room[s];
    })[0] || want;
    var x, y, arrow = box.firstChild;
    if (side === "top" || side === "bottom") {
      x = Math.max(0, Math.min(r.left + r.width / 2 - w / 2, screenW - w));
      y = side === "bottom" ? r.bottom + GAP : r.top - GAP - h;
      arrow.style.left = Math.round(r.left + r.width / 2 - x - arrow.offsetWidth / 2) + "px";
    } else {
      x = side === "right" ? r.right + GAP : r.left - GAP - w;
      y = Math.max(0, Math.min(r.top + r.height / 2 - h / 2, screenH - h));
      arrow.style.top = Math.round(r.top + r.height / 2 - y - arrow.offsetHeight / 2) + "px";
    }
    box.setAttribute("data-popper-placement", side);
    box.style.transform = "translate(" + Math.round(x + window.scrollX) + "px, " +
      Math.round(y + window.scrollY) + "px)";
  }

  function showTip(el) {
    var text = tipText(el);
    hideTip();
    if (!text || !el.isConnected || !el.getClientRects().length) { return; }
    tip = document.createElement("div");
    tip.className = "tooltip bs-tooltip-auto fade";
    tip.id = "book-ui-tooltip";
    tip.setAttribute("role", "tooltip");
    tip.style.cssText = "position: absolute; inset: 0px auto auto 0px; margin: 0px;";
    tip.innerHTML = '<div class="tooltip-arrow" style="position: absolute"></div>' +
      '<div class="tooltip-inner"></div>';
    tip.lastChild.textContent = text;
    document.body.appendChild(tip);
    placeTip(el, tip);
    tip.classList.add("show"); // after the box is laid out: it fades in
    el.setAttribute("aria-describedby", tip.id);
    tipFor = el;
  }

  function hideTip() {
    clearTimeout(timer);
    if (tip) { tip.remove(); }
    if (tipFor) { tipFor.removeAttribute("aria-describedby"); }
    tip = tipFor = null;
  }

  function later(fn, ms) {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  }

  function tipTarget(event) {
    return event.target instanceof Element ? event.target.closest(TIP) : null;
  }

  document.querySelectorAll(TIP).forEach(prepare);

  document.addEventListener("mouseover", function (e) {
    var el = tipTarget(e);
    if (!el) { return; }
    prepare(el);
    if (el === tipFor) { clearTimeout(timer); } else { later(function () { showTip(el); }, SHOW_DELAY); }
  });
  document.addEventListener("mouseout", function (e) {
    var el = tipTarget(e);
    if (el && !el.contains(e.relatedTarget) && !el.matches(":focus-visible")) {
      later(hideTip, HIDE_DELAY);
    }
  });

  /* ---- events shared by both ---- */
  document.addEventListener("click", function (e) {
    var toggle = e.target instanceof Element ? e.target.closest(MENU) : null;
    hideTip();
    if (toggle) {
      e.preventDefault();
      var open = !isOpen(toggle);
      closeMenus(toggle);
      setOpen(toggle, open);
    } else {
      closeMenus(null); // a click elsewhere, or on one of its items
    }
  });

  document.addEventListener("focusin", function (e) {
    document.querySelectorAll(MENU).forEach(function (t) {
      if (isOpen(t) && !t.parentElement.contains(e.target)) { setOpen(t, false); }
    });
    var el = tipTarget(e);
    if (el && el.matches(":focus-visible") && !(el.matches(MENU) && isOpen(el))) {
      prepare(el);
      later(function () { showTip(el); }, SHOW_DELAY);
    }
  });
  document.addEventListener("focusout", function (e) {
    if (tipTarget(e)) { later(hideTip, HIDE_DELAY); }
  });

  document.addEventListener("keydown", function (e) {
    if (!(e.target instanceof Element)) { return; }
    var owner = ownerOf(e.target);
    if (e.key === "Escape") {
      hideTip();
      if (owner && isOpen(owner)) {
        setOpen(owner, false);
        owner.focus();
        e.preventDefault();
      }
      return;
    }
    if (!owner || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) { return; }
    e.preventDefault();
    if (!isOpen(owner)) { setOpen(owner, true); }
    var items = itemsOf(menuOf(owner));
    if (!items.length) { return; }
    var at = items.indexOf(document.activeElement);
    var next = e.key === "ArrowDown" ? (at + 1) % items.length
      : (at <= 0 ? items.length - 1 : at - 1);
    items[next].focus();
  });

  window.addEventListener("resize", function () {
    hideTip();
    document.querySelectorAll(MENU).forEach(function (t) {
      if (isOpen(t)) { place(t, menuOf(t)); }
    });
  });

  /* ---- back to top: shown while the reader scrolls up, below the header ---- */
  // Positions are read on the first scroll, not while the page loads: reading one then
  // would make the browser lay the page out before it is ready to.
  var up = document.getElementById("pst-back-to-top");
  var lastY = null, headerBottom = null;
  window.addEventListener("scroll", function () {
    hideTip();
    if (!up) { return; }
    if (headerBottom === null) {
      var header = document.querySelector(".bd-header");
      headerBottom = header ? header.getBoundingClientRect().bottom : 0;
    }
    var y = window.scrollY;
    up.style.display = lastY !== null && lastY > y && y > headerBottom ? "block" : "none";
    lastY = y;
  }, { passive: true });
  if (up) {
    up.addEventListener("click", function () {
      document.body.scrollTop = 0;
      document.documentElement.scrollTop = 0;
    });
  }
})();
