/* cnnlib/viz/explorables/shift_explorer.js: move the input, and the feature map moves too.
 *
 * State: image {height, width, float32}, kernel (9 numbers), dx, dy, max_shift. The input is
 * shifted (uncovered pixels are 0) by sliders, by dragging it, or by the arrow keys; the map
 * of the moved input is drawn next to the original map moved by the same amount. Outside
 * the dashed frame, the border band, zero padding is involved and the two may differ.
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib, conv = cnnlib.conv, d = cnnlib.draw;

  function render(args) {
    var model = args.model, el = args.el;
    var image = d.readArray(model.get("image"), "image");
    var k = model.get("kernel");
    if (!Array.isArray(k) || k.length !== 9) { throw new Error("the kernel must be 9 numbers"); }
    var kernel = conv.array(3, 3, new Float32Array(k));
    var top = model.get("max_shift") || 12, radius = 1;
    var dx = model.get("dx") || 0, dy = model.get("dy") || 0;
    var fmap = conv.correlate2d(image, kernel, 1, 1), vmax = conv.maxAbs(fmap) || 1;
    var moved, movedMap, mapMoved;
    el.classList.add("cnnlib-x", "cnnlib-x-shift-explorer");

    var sx = d.slider("dx (right)", -top, top, 1, dx, function (v) { dx = v; update(); });
    var sy = d.slider("dy (down)", -top, top, 1, dy, function (v) { dy = v; update(); });
    var views = [d.canvas("the input, moved; drag it or use the arrow keys"),
                 d.canvas("feature map of the moved input"),
                 d.canvas("the original feature map, moved")];
    views[0].canvas.tabIndex = 0;
    var captions = ["input moved (drag me)", "map of the moved input",
                    "original map, moved"].map(function (t) {
      return d.h("figcaption", {text: t});
    });
    var readout = d.h("p", {class: "cnnlib-x-readout", "aria-live": "polite",
                            text: "point at a map to compare the two values"});
    var summary = d.h("p", {class: "cnnlib-x-summary"});
    el.appendChild(d.h("div", {class: "cnnlib-x-controls"}, [sx, sy]));
    el.appendChild(d.h("div", {class: "cnnlib-x-figures"}, views.map(function (v, i) {
      return d.h("figure", {}, [v.canvas, captions[i]]);
    })));
    el.appendChild(d.colourBar(240, vmax, true));
    el.appendChild(summary);
    el.appendChild(readout);

    /* rows (or columns) where no padding is involved: [lo, hi) */
    function inner(shift, size) {
      return [Math.max(shift, 0) + radius, size + Math.min(shift, 0) - radius];
    }

    function update() {
      moved = conv.shift(image, dy, dx);
      movedMap = conv.correlate2d(moved, kernel, 1, 1);
      mapMoved = conv.shift(fmap, dy, dx);
      var width = d.fitRow(el, 260, 3);
      d.drawMap(views[0], moved, {width: width, vmax: conv.maxAbs(image) || 1, signed: false});
      d.drawMap(views[1], movedMap, {width: width, vmax: vmax, signed: true});
      d.drawMap(views[2], mapMoved, {width: width, vmax: vmax, signed: true});
      var rows = inner(dy, image.height), cols = inner(dx, image.width);
      var inside = 0, band = 0;
      for (var r = 0; r < image.height; r++) {
        for (var c = 0; c < image.width; c++) {
          var n = r * image.width + c, diff = Math.abs(movedMap.data[n] - mapMoved.data[n]);
          var inFrame = r >= rows[0] && r < rows[1] && c >= cols[0] && c < cols[1];
          if (inFrame) { inside = Math.max(inside, diff); } else { band = Math.max(band, diff); }
        }
      }
      [views[1], views[2]].forEach(function (v) { frame(v, rows, cols); });
      summary.textContent = "shift (dx, dy) = (" + dx + ", " + dy + "). Inside the dashed " +
        "frame the two maps agree: largest difference " + d.format(inside) +
        ". In the border band outside it, where zero padding is involved: up to " +
        d.format(band) + ".";
      summary.setAttribute("data-inside", inside);
      summary.setAttribute("data-band", band);
      sx.setValue(dx); sy.setValue(dy);
      model.set("dx", dx); model.set("dy", dy); model.save_changes();
    }

    function frame(view, rows, cols) {
      var s = view.cssWidth / image.width, ctx = view.ctx;
      ctx.save();
      ctx.fillStyle = "rgba(120, 120, 120, 0.28)";   // the band, grayed
      ctx.beginPath();
      ctx.rect(0, 0, view.cssWidth, view.cssHeight);
      ctx.rect(cols[0] * s, rows[0] * s, Math.max(0, cols[1] - cols[0]) * s,
               Math.max(0, rows[1] - rows[0]) * s);
      ctx.fill("evenodd");
      ctx.setLineDash([4, 3]);
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(cols[0] * s, rows[0] * s, Math.max(0, cols[1] - cols[0]) * s,
                     Math.max(0, rows[1] - rows[0]) * s);
      ctx.restore();
    }

    function clamp(v) { return Math.max(-top, Math.min(top, v)); }

    var drag = null;
    views[0].canvas.addEventListener("pointerdown", function (ev) {
      drag = {x: ev.clientX, y: ev.clientY, dx: dx, dy: dy};
      if (views[0].canvas.setPointerCapture) {
        try { views[0].canvas.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic */ }
      }
    });
    views[0].canvas.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      var s = views[0].cssWidth / image.width;
      var ndx = clamp(drag.dx + Math.round((ev.clientX - drag.x) / s));
      var ndy = clamp(drag.dy + Math.round((ev.clientY - drag.y) / s));
      if (ndx !== dx || ndy !== dy) { dx = ndx; dy = ndy; update(); }
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      views[0].canvas.addEventListener(name, function () { drag = null; });
    });
    views[0].canvas.addEventListener("keydown", function (ev) {
      var m = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};
      if (!m[ev.key]) { return; }
      ev.preventDefault();
      dy = clamp(dy + m[ev.key][0]); dx = clamp(dx + m[ev.key][1]);
      update();
    });
    [views[1], views[2]].forEach(function (v) {
      d.pointer(v, function (r, c) {
        if (r === null) { return; }
        var n = r * image.width + c;
        readout.textContent = "row " + r + ", column " + c + ": map of the moved input " +
          d.format(movedMap.data[n]) + ", original map moved " + d.format(mapMoved.data[n]);
      });
    });
    update();
  }

  cnnlib.explorables.shift_explorer = {render: render};
})(typeof window !== "undefined" ? window : globalThis);
