/* cnnlib/viz/explorables/mount.js: mount explorables in a static page, with no kernel.
 *
 * Every <div data-explorable="name" data-state="{...json...}"> on the page gets the same
 * render({model, el}) that runs in Jupyter, with an in-page model holding the saved state.
 * A state that is missing or corrupt shows a message in place of the figure.
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

  cnnlib.mountAll = function () {
    var found = document.querySelectorAll("[data-explorable]");
    for (var i = 0; i < found.length; i++) { mount(found[i]); }
  };
  cnnlib.pageModel = pageModel;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", cnnlib.mountAll);
  } else {
    cnnlib.mountAll();
  }
})(window);
