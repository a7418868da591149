/* cnnlib/viz/explorables/draw.js: what every explorable draws with.
 *
 * A classic script defining globalThis.cnnlib.draw: small DOM builders (every control gets a
 * <label>), canvases sized for the device pixel ratio, the book's diverging colour map
 * (ColorBrewer RdBu: blue below 0, white at 0, red above; safe for colour-blind readers),
 * a colour bar that says white = 0, a pointer readout, and checked parsing of typed numbers.
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib = root.cnnlib || {};
  if (cnnlib.draw) { return; }
  var uid = 0;

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (key === "text") { node.textContent = value; }
      else if (key === "class") { node.className = value; }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), value); }
      else if (value !== false && value !== null && value !== undefined) {
        node.setAttribute(key, value === true ? "" : value);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* A control with its <label>; returns the wrapper, the control is wrapper.control. */
  function labelled(text, control) {
    if (!control.id) { control.id = "cnnlib-x-" + (++uid); }
    var wrap = h("span", {class: "cnnlib-x-field"},
                 [h("label", {for: control.id, text: text}), control]);
    wrap.control = control;
    return wrap;
  }

  function slider(text, min, max, step, value, oninput) {
    var out = h("output", {text: String(value)});
    var input = h("input", {type: "range", min: min, max: max, step: step, value: value});
    input.addEventListener("input", function () {
      out.textContent = input.value;
      oninput(Number(input.value));
    });
    var wrap = labelled(text, input);
    wrap.appendChild(out);
    wrap.setValue = function (v) { input.value = v; out.textContent = String(v); };
    return wrap;
  }

  function checkbox(text, checked, onchange) {
    var input = h("input", {type: "checkbox", checked: !!checked});
    input.addEventListener("change", function () { onchange(input.checked); });
    var wrap = labelled(text, input);
    wrap.className += " cnnlib-x-check";
    return wrap;
  }

  function select(text, options, value, onchange) {
    var sel = h("select", {}, options.map(function (o) {
      return h("option", {value: o, text: o, selected: o === value});
    }));
    sel.addEventListener("change", function () { onchange(sel.value); });
    return labelled(text, sel);
  }

  function button(text, onclick, attrs) {
    var b = h("button", Object.assign({type: "button", text: text}, attrs || {}));
    b.addEventListener("click", onclick);
    return b;
  }

  /* A typed number: finite and within float32's range, or an Error saying why not. */
  function parseNumber(text, name) {
    var s = String(text).trim();
    if (s === "") { throw new Error(name + " is empty: type a number"); }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
      throw new Error(name + " is not a number: '" + s + "'");
    }
    var v = Number(s);
    if (!isFinite(v) || Math.abs(v) > 3.4e38) {
      throw new Error(name + " = " + s + " is too large for float32 (at most 3.4e38)");
    }
    return v;
  }

  /* state entry {height, width, float32: base64} -> cnnlib.conv array, checked */
  function readArray(entry, name) {
    if (!entry || typeof entry !== "object") { throw new Error(name + " is missing"); }
    var a = cnnlib.conv.array(entry.height, entry.width,
                              cnnlib.conv.decodeFloat32(entry.float32 || ""));
    for (var i = 0; i < a.data.length; i++) {
      if (!isFinite(a.data[i])) { throw new Error(name + " holds a non-finite value"); }
    }
    if (a.height < 1 || a.width < 1) { throw new Error(name + " is empty"); }
    return a;
  }

  /* RdBu_r, ColorBrewer's 11 classes: blue (negative), white (0), red (positive). */
  var RDBU = [[5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240],
              [247, 247, 247], [253, 219, 199], [244, 165, 130], [214, 96, 77],
              [178, 24, 43], [103, 0, 31]];
  var LUT = new Uint8ClampedArray(256 * 3);
  (function () {
    for (var i = 0; i < 256; i++) {
      var t = i / 255 * 10, k = Math.min(9, Math.floor(t)), f = t - k;
      for (var ch = 0; ch < 3; ch++) {
        LUT[3 * i + ch] = Math.round(RDBU[k][ch] * (1 - f) + RDBU[k + 1][ch] * f);
      }
    }
    // exactly white at 0 (index 127.5 sits between two entries: make both white)
    for (var c = 0; c < 3; c++) { LUT[3 * 127 + c] = 255; LUT[3 * 128 + c] = 255; }
  })();

  /* colour of v: signed maps run -vmax..vmax on RdBu, others 0..vmax in gray */
  function colour(v, vmax, signed) {
    var i;
    if (signed) {
      if (v === 0) { return [255, 255, 255]; }
      i = Math.round((v / (vmax || 1) + 1) * 127.5);
      i = Math.max(0, Math.min(255, i));
      if (i === 127 && v > 0) { i = 128; }
      return [LUT[3 * i], LUT[3 * i + 1], LUT[3 * i + 2]];
    }
    i = Math.max(0, Math.min(255, Math.round(v / (vmax || 1) * 255)));
    return [i, i, i];
  }

  function css(rgb) { return "rgb(" + rgb[0] + "," + rgb[1] + "," + rgb[2] + ")"; }

  /* A canvas whose backing store follows devicePixelRatio; returns {canvas, ctx, resize}. */
  function canvas(label) {
    var c = h("canvas", {class: "cnnlib-x-canvas", role: "img", "aria-label": label});
    var ctx = c.getContext("2d");
    function resize(cssWidth, cssHeight) {
      var ratio = root.devicePixelRatio || 1;
      c.style.width = cssWidth + "px";
      c.style.height = cssHeight + "px";
      c.width = Math.max(1, Math.round(cssWidth * ratio));
      c.height = Math.max(1, Math.round(cssHeight * ratio));
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    }
    return {canvas: c, ctx: ctx, resize: resize};
  }

  /* Draw array a into a canvas cssWidth wide, one square block per value. */
  function drawMap(view, a, opts) {
    var signed = opts.signed, vmax = opts.vmax;
    var img = new ImageData(a.width, a.height), px = img.data, d = a.data;
    if (signed) {
      var scale = 127.5 / (vmax || 1);
      for (var i = 0; i < d.length; i++) {
        var v = d[i], k = v === 0 ? 127 : Math.round((v * scale) + 127.5);
        k = k < 0 ? 0 : (k > 255 ? 255 : k);
        if (k === 127 && v > 0) { k = 128; }
        px[4 * i] = LUT[3 * k]; px[4 * i + 1] = LUT[3 * k + 1];
        px[4 * i + 2] = LUT[3 * k + 2]; px[4 * i + 3] = 255;
      }
    } else {
      var g = 255 / (vmax || 1);
      for (var j = 0; j < d.length; j++) {
        var q = d[j] * g;
        q = q < 0 ? 0 : (q > 255 ? 255 : q);
        px[4 * j] = px[4 * j + 1] = px[4 * j + 2] = q; px[4 * j + 3] = 255;
      }
    }
    var off = view.offscreen || (view.offscreen = document.createElement("canvas"));
    off.width = a.width; off.height = a.height;
    off.getContext("2d").putImageData(img, 0, 0);
    var cssWidth = opts.width, cssHeight = cssWidth * a.height / a.width;
    if (view.cssWidth !== cssWidth || view.cssHeight !== cssHeight) {
      view.resize(cssWidth, cssHeight);
      view.cssWidth = cssWidth; view.cssHeight = cssHeight;
    }
    view.ctx.imageSmoothingEnabled = false;
    view.ctx.drawImage(off, 0, 0, cssWidth, cssHeight);
    view.shape = [a.height, a.width];
  }

  /* A horizontal colour bar: -vmax (blue) .. 0 (white) .. +vmax (red), or 0..vmax gray. */
  function colourBar(width, vmax, signed) {
    var bar = canvas(signed ? "colour bar: blue is negative, white is 0, red is positive"
                            : "colour bar: black is 0, white is the largest value");
    bar.resize(width, 12);
    var steps = 64;
    for (var i = 0; i < steps; i++) {
      var v = signed ? (2 * i / (steps - 1) - 1) * vmax : i / (steps - 1) * vmax;
      bar.ctx.fillStyle = css(colour(v, vmax, signed));
      bar.ctx.fillRect(i * width / steps, 0, width / steps + 0.5, 12);
    }
    var fmt = function (v) { return format(v); };
    var labels = signed
      ? [fmt(-vmax), "white = 0", fmt(vmax)] : ["0", fmt(vmax / 2), fmt(vmax)];
    return h("div", {class: "cnnlib-x-bar"}, [
      bar.canvas,
      h("div", {class: "cnnlib-x-bar-labels"}, labels.map(function (t) {
        return h("span", {text: t});
      }))
    ]);
  }

  function format(v) {
    if (v === 0) { return "0"; }
    var a = Math.abs(v);
    if (a >= 1e4 || a < 1e-3) { return v.toExponential(2); }
    return String(Number(v.toPrecision(3)));
  }

  /* Pointer readout: calls onCell(row, col) under the pointer (null when it leaves). */
  function pointer(view, onCell) {
    function cell(ev) {
      var rect = view.canvas.getBoundingClientRect(), shape = view.shape;
      if (!shape || rect.width === 0) { return null; }
      var col = Math.floor((ev.clientX - rect.left) / rect.width * shape[1]);
      var row = Math.floor((ev.clientY - rect.top) / rect.height * shape[0]);
      if (row < 0 || col < 0 || row >= shape[0] || col >= shape[1]) { return null; }
      return [row, col];
    }
    view.canvas.addEventListener("pointermove", function (ev) {
      var rc = cell(ev);
      onCell(rc ? rc[0] : null, rc ? rc[1] : null, ev);
    });
    view.canvas.addEventListener("pointerleave", function () { onCell(null, null); });
    return cell;
  }

  /* A message in place of (or above) a figure. */
  function message(el, text) {
    var box = el.querySelector(":scope > .cnnlib-x-message");
    if (!box) {
      box = h("p", {class: "cnnlib-x-message", role: "alert"});
      el.insertBefore(box, el.firstChild);
    }
    box.textContent = text || "";
    box.hidden = !text;
    return box;
  }

  /* Width available to a figure: the element's width, at most max. */
  function fit(el, max, fraction) {
    var w = el.clientWidth || (root.innerWidth ? root.innerWidth - 32 : max);
    return Math.max(120, Math.min(max, Math.floor(w * (fraction || 1))));
  }

  /* render() of a registered explorable; an error shows a message instead of a blank. */
  /* Rows of finite numbers (a state entry) as a conv.js array; a clear error otherwise. */
  function readRows(value, name) {
    if (!Array.isArray(value) || !value.length || !Array.isArray(value[0])) {
      throw new Error(name + " must be rows of numbers, got " + JSON.stringify(value));
    }
    var a = cnnlib.conv.fromRows(value);
    for (var i = 0; i < a.data.length; i++) {
      if (!isFinite(a.data[i])) { throw new Error(name + " holds a non-finite value"); }
    }
    return a;
  }

  /* A grid of numbers as cells, coloured on the signed scale vmax: buttons when onclick
   * (called with row, column) is given, else cells out of the tab order. classOf(r, c)
   * may add classes (a highlighted window, a selected cell). */
  function cellGrid(a, label, vmax, onclick, classOf) {
    var g = h("div", {class: "cnnlib-x-grid", role: "group", "aria-label": label});
    g.style.gridTemplateColumns = "repeat(" + a.width + ", max-content)";
    for (var r = 0; r < a.height; r++) {
      for (var c = 0; c < a.width; c++) {
        var v = a.data[r * a.width + c], rgb = colour(v, vmax, true);
        var extra = classOf ? classOf(r, c) : "";
        var b = h("button", {type: "button", class: "cnnlib-x-cell" + (extra ? " " + extra : ""),
                             text: format(v), "aria-label": label + " row " + r + ", column " +
                             c + ": " + format(v), title: "row " + r + ", column " + c + ": " +
                             format(v), "data-value": v});
        b.style.background = css(rgb);
        b.style.color = (rgb[0] + rgb[1] + rgb[2]) < 300 ? "#fff" : "#000";
        if (onclick) { b.addEventListener("click", onclick.bind(null, r, c)); }
        else { b.tabIndex = -1; }
        g.appendChild(b);
      }
    }
    return g;
  }

  /* In Jupyter the notebook listens for keys on the page: an arrow key on a slider would
   * also move the cell selection, and "a", "b" or "d d" would add or delete cells. Keys
   * typed in an explorable stay in it, except the ones that leave it or run the cell
   * (Escape, Tab, Shift+Enter) and shortcuts with Ctrl, Alt or Cmd. */
  function keepKeys(el) {
    el.addEventListener("keydown", function (ev) {
      var leaves = ev.key === "Escape" || ev.key === "Tab" || (ev.key === "Enter" && ev.shiftKey);
      if (!leaves && !ev.ctrlKey && !ev.altKey && !ev.metaKey) { ev.stopPropagation(); }
    });
  }

  function renderSafely(name, args) {
    keepKeys(args.el);
    try {
      return cnnlib.explorables[name].render(args);
    } catch (e) {
      args.el.textContent = "";
      var p = message(args.el, "This explorable could not be shown: " + e.message);
      p.className += " cnnlib-x-failed";
    }
  }

  /* Width of each of n figures side by side when they fit (at least 150 px each), else
   * of one figure on the full width; at most max. */
  function fitRow(el, max, n) {
    var w = el.clientWidth || (root.innerWidth ? root.innerWidth - 32 : max);
    var each = Math.floor((w - 16 * (n - 1)) / n);
    return each >= 150 ? Math.min(max, each) : fit(el, max);
  }

  cnnlib.explorables = cnnlib.explorables || {};
  cnnlib.draw = {
    h: h, labelled: labelled, slider: slider, checkbox: checkbox, select: select,
    button: button, parseNumber: parseNumber, readArray: readArray, colour: colour,
    css: css, canvas: canvas, drawMap: drawMap, colourBar: colourBar, format: format,
    pointer: pointer, message: message, fit: fit, fitRow: fitRow, renderSafely: renderSafely,
    cellGrid: cellGrid, readRows: readRows
  };
})(typeof window !== "undefined" ? window : globalThis);
