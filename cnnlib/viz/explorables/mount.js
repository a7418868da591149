/* cnnlib/viz/explorables/mount.js: mount explorables in a static page, with no kernel.
 *
 * Every <div data-explorable="name" data-state="{...json...}"> on the page gets the same
 * render({model, el}) that runs in Jupyter, with an in-page model holding the saved state.
 * A state that is missing or corrupt shows a message in place of the figure.
 * An explorable is drawn when it comes near the window (or the page is printed), not while
 * the page loads.
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib = root.cnnlib || {};
  cnnlib.explorables = cnnlib.explorables || {};

  /* The part of a widget model that render() uses: get, set, on, save_changes. */
  function pageModel(state) {
    var data = Object.assign({}, state), handlers = {};
    return {
      get: function (key) { return data[key]; },
      set: function (key, value) {
        data[key] = value;
        (handlers["change:" + key] || []).forEach(function (fn) { fn(); });
      },
      on: function (event, fn) { (handlers[event] = handlers[event] || []).push(fn); },
      off: function (event, fn) {
        handlers[event] = (handlers[event] || []).filter(function (g) { return g !== fn; });
      },
      save_changes: function () {}
    };
  }

  function fail(el, why) {
    el.textContent = "";
    var p = document.createElement("p");
    p.className = "cnnlib-x-message cnnlib-x-failed";
    p.setAttribute("role", "alert");
    p.textContent = "This explorable could not be shown: " + why;
    el.appendChild(p);
  }

  function mount(el) {
    if (el.hasAttribute("data-mounted")) { return; }
    el.setAttribute("data-mounted", "");
    var name = el.getAttribute("data-explorable"), state;
    var spec = cnnlib.explorables[name];
    if (!spec) { return fail(el, "no explorable is called '" + name + "'."); }
    var text = el.getAttribute("data-state");
    if (!text) { return fail(el, "its saved state (data-state) is missing."); }
    try { state = JSON.parse(text); } catch (e) {
      return fail(el, "its saved state is not valid JSON (" + e.message + ").");
    }
    try {
      el.textContent = "";
      spec.render({model: pageModel(state), el: el});
    } catch (e) {
      fail(el, e.message);
    }
  }

  /* Mount every explorable now (``now``), or each one when it comes within about a screen
   * of the window, so that a page's first load computes only what is in sight. */
  cnnlib.mountAll = function (now) {
    var found = document.querySelectorAll("[data-explorable]:not([data-mounted])");
    var i;
    if (now === true || !root.IntersectionObserver) {
      for (i = 0; i < found.length; i++) { mount(found[i]); }
      return;
    }
    var seen = cnnlib._seen = cnnlib._seen || new root.IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { seen.unobserve(entry.target); mount(entry.target); }
      });
    }, {rootMargin: "900px 0px"});
    for (i = 0; i < found.length; i++) { seen.observe(found[i]); }
  };
  cnnlib.pageModel = pageModel;
  if (!cnnlib._printHook) {  // a printed page shows every explorable
    cnnlib._printHook = true;
    root.addEventListener("beforeprint", function () { cnnlib.mountAll(true); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", cnnlib.mountAll);
  } else {
    cnnlib.mountAll();
  }
})(window);
