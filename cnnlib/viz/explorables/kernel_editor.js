/* cnnlib/viz/explorables/kernel_editor.js: type a 3x3 kernel, see its feature map at once.
 *
 * State: image {height, width, float32}, kernel (9 numbers, row by row), presets
 * {name: 9 numbers}, relu, absolute, eight_bit (booleans). The map is drawn on a signed
 * scale centred at 0; "8-bit display" shows what saving the raw map as an 8-bit image keeps
 * (round(255 z), clipped to 0..255).
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib, conv = cnnlib.conv, d = cnnlib.draw;

  function render(args) {
    var model = args.model, el = args.el;
    var image = d.readArray(model.get("image"), "image");
    var presets = model.get("presets") || {};
    var kernel = checkKernel(model.get("kernel"));
    var map = null, shown = null, probe = null;
    el.classList.add("cnnlib-x", "cnnlib-x-kernel-editor");

    // weights: a 3x3 grid of text fields (text, not number, so a typo can be explained)
    var fields = [];
    var grid = d.h("div", {class: "cnnlib-x-weights", role: "group",
                           "aria-label": "kernel weights"});
    for (var i = 0; i < 9; i++) {
      var input = d.h("input", {type: "text", inputmode: "decimal", size: 5,
                                class: "cnnlib-x-weight"});
      input.addEventListener("input", onType);
      input.addEventListener("keydown", nudge);
      var f = d.labelled("w" + Math.floor(i / 3) + "," + (i % 3), input);
      f.querySelector("label").className = "cnnlib-x-sr";
      grid.appendChild(f);
      fields.push(input);
    }
    var names = ["(typed)"].concat(Object.keys(presets));
    var preset = d.select("preset", names, model.get("preset") || "(typed)", function (name) {
      if (presets[name]) { setKernel(presets[name].slice(), true); }
    });
    var relu = d.checkbox("ReLU", model.get("relu"), function (v) {
      model.set("relu", v); model.save_changes(); redraw();
    });
    var absolute = d.checkbox("|z|", model.get("absolute"), function (v) {
      model.set("absolute", v); model.save_changes(); redraw();
    });
    var eight = d.checkbox("8-bit display", model.get("eight_bit"), function (v) {
      model.set("eight_bit", v); model.save_changes(); redraw();
    });

    var input = d.canvas("the input image"), output = d.canvas("the feature map");
    output.canvas.tabIndex = 0;
    output.canvas.setAttribute("aria-label",
      "the feature map; arrow keys move the probe whose value is read out below");
    var bar = d.h("div", {class: "cnnlib-x-barslot"});
    var readout = d.h("p", {class: "cnnlib-x-readout", "aria-live": "polite",
                            text: "point at either image to read its values"});
    var summary = d.h("p", {class: "cnnlib-x-summary"});
    el.appendChild(d.h("div", {class: "cnnlib-x-controls"}, [
      d.h("div", {class: "cnnlib-x-field"}, [d.h("span", {text: "kernel"}), grid]),
      d.h("div", {class: "cnnlib-x-stack"}, [preset, relu, absolute, eight])
    ]));
    el.appendChild(d.h("div", {class: "cnnlib-x-figures"}, [
      d.h("figure", {}, [input.canvas, d.h("figcaption", {text: "input"})]),
      d.h("figure", {}, [output.canvas, bar, d.h("figcaption", {class: "cnnlib-x-caption"})])
    ]));
    el.appendChild(summary);
    el.appendChild(readout);

    function checkKernel(k) {
      if (!Array.isArray(k) || k.length !== 9) {
        throw new Error("the kernel must be 9 numbers (3x3), got " + JSON.stringify(k));
      }
      k.forEach(function (v, n) {
        if (typeof v !== "number" || !isFinite(v) || Math.abs(v) > 3.4e38) {
          throw new Error("weight " + n + " is not a finite float32: " + v);
        }
      });
      return k.slice();
    }

    function setKernel(k, fromPreset) {
      kernel = k;
      fields.forEach(function (f, n) { f.value = String(k[n]); });
      if (!fromPreset) { preset.control.value = "(typed)"; }
      d.message(el, "");
      model.set("kernel", k.slice());
      model.save_changes();
      redraw();
    }

    function onType() {
      var k = [];
      try {
        fields.forEach(function (f, n) {
          k.push(d.parseNumber(f.value, "weight w" + Math.floor(n / 3) + "," + (n % 3)));
        });
      } catch (e) {
        d.message(el, e.message + ". The map still shows the last valid kernel.");
        return;
      }
      kernel = k;
      preset.control.value = "(typed)";
      d.message(el, "");
      model.set("kernel", k.slice());
      model.save_changes();
      redraw();
    }

    function nudge(ev) {  // arrow keys step a weight by 0.1 (with Shift: by 1)
      if (ev.key !== "ArrowUp" && ev.key !== "ArrowDown") { return; }
      var v = Number(ev.target.value);
      if (!isFinite(v)) { return; }
      var step = (ev.shiftKey ? 1 : 0.1) * (ev.key === "ArrowUp" ? 1 : -1);
      ev.target.value = String(Math.round((v + step) * 1e6) / 1e6);
      ev.preventDefault();
      onType();
    }

    function compute() {
      var k = conv.array(3, 3, new Float32Array(kernel));
      var z = conv.correlate2d(image, k, 1, 0);   // valid: map[r, c] is centred on (r+1, c+1)
      if (model.get("relu")) { z = conv.relu(z); }
      if (model.get("absolute")) { z = conv.abs(z); }
      return z;
    }

    function redraw() {
      map = compute();
      var width = d.fitRow(el, 360, 2), eightBit = model.get("eight_bit");
      var lo = Infinity, hi = -Infinity, under = 0, over = 0;
      for (var n = 0; n < map.data.length; n++) {
        var v = map.data[n];
        if (v < lo) { lo = v; }
        if (v > hi) { hi = v; }
        if (v < 0) { under++; } else if (v > 1) { over++; }
      }
      var vmax = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
      d.drawMap(input, image, {width: width, vmax: 1, signed: false});
      shown = eightBit ? conv.clip8bit(map) : map;
      d.drawMap(output, shown, {width: width * map.width / image.width,
                                vmax: eightBit ? 1 : vmax, signed: !eightBit});
      drawProbe();
      bar.textContent = "";
      bar.appendChild(d.colourBar(Math.min(width, 320), eightBit ? 1 : vmax, !eightBit));
      el.querySelector(".cnnlib-x-caption").textContent = eightBit
        ? "saved as 8 bits: below 0 turns black, above 1 (255) turns white"
        : "feature map, signed scale centred at 0";
      var pct = function (c) { return (100 * c / map.data.length).toFixed(1) + "%"; };
      var total = kernel.reduce(function (a, b) { return a + b; }, 0);
      summary.textContent = "kernel sum " + d.format(total) + "; map from " +
        d.format(lo) + " to " + d.format(hi) +
        (eightBit ? "; clipped in 8 bits: " + pct(under) + " below 0, " + pct(over) +
         " above 255" : "");
      summary.setAttribute("data-min", lo);
      summary.setAttribute("data-max", hi);
      if (probe) { read(probe[0], probe[1]); }
    }

    function drawProbe() {
      if (!probe || !output.shape) { return; }
      var s = output.cssWidth / output.shape[1];
      output.ctx.strokeStyle = "#000";
      output.ctx.lineWidth = 1.5;
      output.ctx.strokeRect(probe[1] * s - 2, probe[0] * s - 2, s + 4, s + 4);
    }

    /* map[r, c] sits on the input pixel (r + 1, c + 1): the centre of its 3x3 patch */
    function read(r, c) {
      if (r === null || r < 0 || c < 0 || r >= map.height || c >= map.width) { return; }
      var n = r * map.width + c, centre = (r + 1) * image.width + c + 1;
      readout.textContent = "map row " + r + ", column " + c + ": " +
        map.data[n].toPrecision(4) +
        (model.get("eight_bit") ? " (8-bit: " + Math.round(shown.data[n] * 255) + ")" : "") +
        "; input under its centre " + image.data[centre].toPrecision(4);
      readout.setAttribute("data-row", r);
      readout.setAttribute("data-col", c);
      readout.setAttribute("data-value", map.data[n]);
    }

    d.pointer(input, function (r, c) { if (r !== null) { read(r - 1, c - 1); } });
    d.pointer(output, read);
    output.canvas.addEventListener("keydown", function (ev) {
      var moves = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};
      var m = moves[ev.key];
      if (!m) { return; }
      ev.preventDefault();
      var step = ev.shiftKey ? 10 : 1;
      probe = probe || [Math.floor(map.height / 2), Math.floor(map.width / 2)];
      probe = [Math.max(0, Math.min(map.height - 1, probe[0] + m[0] * step)),
               Math.max(0, Math.min(map.width - 1, probe[1] + m[1] * step))];
      redraw();
    });
    model.on("change:kernel", function () {
      var k = model.get("kernel");
      if (JSON.stringify(k) !== JSON.stringify(kernel)) { setKernel(checkKernel(k), false); }
    });
    var lastWidth = 0;
    if (root.ResizeObserver) {
      new root.ResizeObserver(function () {
        var w = d.fitRow(el, 360, 2);
        if (w !== lastWidth) { lastWidth = w; redraw(); }
      }).observe(el);
    }
    setKernel(kernel, !!presets[model.get("preset")]);
  }

  cnnlib.explorables.kernel_editor = {render: render};
})(typeof window !== "undefined" ? window : globalThis);
