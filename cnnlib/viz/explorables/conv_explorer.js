/* cnnlib/viz/explorables/conv_explorer.js: one output cell at a time, every product shown.
 *
 * State: image (rows of numbers), kernel (rows), presets {name: rows}, stride, padding,
 * selected [row, col] of the output. Input cells toggle between 0 and 1 when clicked;
 * padding cells are hatched and hold 0.
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib, conv = cnnlib.conv, d = cnnlib.draw;

  /* the name of the preset holding exactly kernel k's numbers, else "(typed)" */
  function presetOf(k, presets) {
    var names = Object.keys(presets);
    for (var n = 0; n < names.length; n++) {
      var p = conv.fromRows(presets[names[n]]), same = p.height === k.height && p.width === k.width;
      for (var i = 0; same && i < k.data.length; i++) { same = p.data[i] === k.data[i]; }
      if (same) { return names[n]; }
    }
    return "(typed)";
  }

  /* rows as a numpy literal, one row per line, aligned under the first */
  function pyRows(a, indent) {
    return "[" + conv.toRows(a).map(function (r) {
      return "[" + r.map(function (v) {
        return String(Number(v.toPrecision(7)));
      }).join(", ") + "]";
    }).join(",\n" + indent + " ") + "]";
  }

  function factor(v) { return v < 0 ? "(" + d.format(v) + ")" : d.format(v); }

  function render(args) {
    var model = args.model, el = args.el;
    var image = d.readRows(model.get("image"), "image");
    var kernel = d.readRows(model.get("kernel"), "kernel");
    var original = conv.array(image.height, image.width, image.data.slice());
    var presets = model.get("presets") || {};
    var stride = model.get("stride") || 1, padding = model.get("padding") || 0;
    var selected = model.get("selected") || [0, 0];
    var out = null, timer = null, sizeError = false;
    el.classList.add("cnnlib-x", "cnnlib-x-conv-explorer");

    var fields = [], kgrid = d.h("div", {class: "cnnlib-x-weights", role: "group",
                                        "aria-label": "kernel weights"});
    kgrid.style.gridTemplateColumns = "repeat(" + kernel.width + ", 4.2em)";
    for (var n = 0; n < kernel.data.length; n++) {
      var inp = d.h("input", {type: "text", inputmode: "decimal", size: 4,
                              class: "cnnlib-x-weight", value: d.format(kernel.data[n])});
      inp.addEventListener("input", onType);
      var f = d.labelled("weight row " + Math.floor(n / kernel.width) + ", column " +
                         (n % kernel.width), inp);
      f.querySelector("label").className = "cnnlib-x-sr";
      kgrid.appendChild(f);
      fields.push(inp);
    }
    var preset = d.select("preset", ["(typed)"].concat(Object.keys(presets)),
                          presetOf(kernel, presets),
      function (name) {
        if (!presets[name]) { return; }
        var k = d.readRows(presets[name], name);
        if (k.height !== kernel.height || k.width !== kernel.width) { return; }
        kernel = k;
        fields.forEach(function (fld, i) { fld.value = d.format(k.data[i]); });
        d.message(el, "");
        update();
      });
    var strideCtl = d.slider("stride", 1, 3, 1, stride, function (v) {
      stride = v; selected = [0, 0]; update();
    });
    var paddingCtl = d.slider("padding", 0, 2, 1, padding, function (v) {
      padding = v; selected = [0, 0]; update();
    });
    var play = d.button("play", function () { timer ? stop() : start(); },
                        {"aria-pressed": "false"});
    var step = d.button("step", function () { stop(); advance(); });
    var inGrid = d.h("div", {class: "cnnlib-x-grid", role: "group",
                             "aria-label": "input, with padding"});
    var outGrid = d.h("div", {class: "cnnlib-x-grid", role: "group", "aria-label": "output"});
    var terms = d.h("p", {class: "cnnlib-x-terms", "aria-live": "polite"});
    var formula = d.h("p", {class: "cnnlib-x-formula"});
    var code = d.h("pre", {class: "cnnlib-x-code", "aria-label": "the same in Python"});
    el.appendChild(d.h("div", {class: "cnnlib-x-controls"}, [
      d.h("div", {class: "cnnlib-x-field"}, [d.h("span", {text: "kernel"}), kgrid]),
      d.h("div", {class: "cnnlib-x-stack"}, [preset, strideCtl, paddingCtl,
                                             d.h("div", {class: "cnnlib-x-row"}, [step, play])])
    ]));
    el.appendChild(d.h("div", {class: "cnnlib-x-figures"}, [
      d.h("figure", {}, [inGrid, d.h("figcaption", {
        text: "input: click a cell to switch it off (0) and on; hatched cells are padding (0)"})]),
      d.h("figure", {}, [outGrid, d.h("figcaption", {
        text: "output (click a cell to see its sum)"})])
    ]));
    el.appendChild(terms);
    el.appendChild(formula);
    el.appendChild(d.h("p", {class: "cnnlib-x-caption", text: "show the code:"}));
    el.appendChild(code);

    function onType() {
      var k = conv.array(kernel.height, kernel.width);
      try {
        fields.forEach(function (fld, i) {
          k.data[i] = d.parseNumber(fld.value, "weight " + i);
        });
      } catch (e) {
        d.message(el, e.message + ". The output still shows the last valid kernel.");
        return;
      }
      kernel = k;
      preset.control.value = presetOf(k, presets);
      d.message(el, "");
      update();
    }

    function start() {
      timer = root.setInterval(advance, 900);
      play.textContent = "pause"; play.setAttribute("aria-pressed", "true");
    }
    function stop() {
      if (timer) { root.clearInterval(timer); }
      timer = null;
      play.textContent = "play"; play.setAttribute("aria-pressed", "false");
    }
    function advance() {
      var c = selected[1] + 1, r = selected[0];
      if (c >= out.width) { c = 0; r = (r + 1) % out.height; }
      selected = [r, c];
      update();
    }

    function cellButton(text, label, cls, onclick) {
      var b = d.h("button", {type: "button", class: "cnnlib-x-cell " + cls,
                             "aria-label": label, text: text});
      if (onclick) { b.addEventListener("click", onclick); } else { b.disabled = true; }
      return b;
    }

    function update() {
      var error = null;
      try {
        out = conv.correlate2d(image, kernel, stride, padding);
      } catch (e) { error = e; }
      if (error) {  // a kernel larger than the padded input: say so, keep the last drawing
        d.message(el, error.message + ".");
        sizeError = true;
        return;
      }
      selected = [Math.min(selected[0], out.height - 1), Math.min(selected[1], out.width - 1)];
      var t = conv.patchTerms(image, kernel, selected[0], selected[1], stride, padding);
      var inPatch = {};
      t.terms.forEach(function (term) { inPatch[term.row + "," + term.col] = true; });
      var ph = image.height + 2 * padding, pw = image.width + 2 * padding;
      inGrid.textContent = "";
      inGrid.style.gridTemplateColumns = "repeat(" + pw + ", max-content)";
      for (var r = -padding; r < image.height + padding; r++) {
        for (var c = -padding; c < image.width + padding; c++) {
          var inside = r >= 0 && c >= 0 && r < image.height && c < image.width;
          var cls = (inside ? "" : "cnnlib-x-pad ") +
            (inPatch[r + "," + c] ? "cnnlib-x-in-patch" : "");
          var v = inside ? image.data[r * image.width + c] : 0;
          inGrid.appendChild(cellButton(d.format(v),
            inside ? "input row " + r + ", column " + c + ": " + d.format(v) +
                     "; press to switch it off or on" : "padding, 0", cls,
            inside ? toggle.bind(null, r, c) : null));
        }
      }
      outGrid.textContent = "";
      outGrid.style.gridTemplateColumns = "repeat(" + out.width + ", max-content)";
      for (var i = 0; i < out.height; i++) {
        for (var j = 0; j < out.width; j++) {
          var value = out.data[i * out.width + j];
          var sel = i === selected[0] && j === selected[1];
          var b = cellButton(d.format(value), "output row " + i + ", column " + j + ": " +
                             d.format(value), sel ? "cnnlib-x-selected" : "",
                             select.bind(null, i, j));
          b.setAttribute("data-value", value);
          var rgb = d.colour(value, conv.maxAbs(out), true);
          b.style.background = d.css(rgb);
          b.style.color = (rgb[0] + rgb[1] + rgb[2]) < 300 ? "#fff" : "#000";
          outGrid.appendChild(b);
        }
      }
      terms.textContent = "output[" + selected[0] + ", " + selected[1] + "] = " +
        t.terms.map(function (term) {
          return factor(term.value) + "×" + factor(term.weight);
        }).join(" + ") + " = " + d.format(t.sum);
      terms.setAttribute("data-sum", t.sum);
      formula.textContent = sizeLine("H", image.height, kernel.height) +
        (image.height === image.width && kernel.height === kernel.width ? "" :
         "; " + sizeLine("W", image.width, kernel.width));
      code.textContent = "image = np.array(" + pyRows(image, "                 ") + ")\n" +
        "kernel = np.array(" + pyRows(kernel, "                  ") + ")\n" +
        "cl.correlate2d(image, kernel, stride=" + stride + ", padding=" + padding + ")";
      strideCtl.setValue(stride);
      paddingCtl.setValue(padding);
      if (sizeError) { d.message(el, ""); sizeError = false; }
      model.set("kernel", conv.toRows(kernel));
      model.set("stride", stride);
      model.set("padding", padding);
      model.set("selected", selected.slice());
      model.save_changes();
    }

    function sizeLine(axis, n, k) {
      var num = n + 2 * padding - k, q = num / stride, size = Math.floor(q) + 1;
      return axis + "' = ⌊(" + axis + " + 2P − K) / S⌋ + 1 = ⌊(" + n + " + 2·" + padding +
        " − " + k + ") / " + stride + "⌋ + 1 = " +
        (Number.isInteger(q) ? q : "⌊" + d.format(q) + "⌋ = " + Math.floor(q)) +
        " + 1 = " + size;
    }

    /* a cell switches off (0) and back on (its first value, or 1 where that was 0) */
    function toggle(r, c) {
      var n = r * image.width + c;
      image.data[n] = image.data[n] !== 0 ? 0 : (original.data[n] || 1);
      model.set("image", conv.toRows(image));
      update();
      var b = inGrid.children[(r + padding) * (image.width + 2 * padding) + c + padding];
      if (b) { b.focus(); }
    }

    function select(i, j) {
      stop();
      selected = [i, j];
      update();
      var b = outGrid.children[i * out.width + j];
      if (b) { b.focus(); }
    }

    update();
  }

  cnnlib.explorables.conv_explorer = {render: render};
})(typeof window !== "undefined" ? window : globalThis);
