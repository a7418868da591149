/* cnnlib/viz/explorables/backprop_explorer.js: where one upstream cell sends its gradient.
 *
 * State: image x (rows), kernel w (rows), upstream g (rows, the shape of the valid output),
 * selected [r, c]. For y = correlate2d(x, w) the cell g[r, c] came from the window
 * x[r:r+KH, c:c+KW]: it adds g[r, c] * w to dx on that window and g[r, c] * window to dw.
 * Its two shares are drawn next to the full gradients, the sums over every cell: dx is the
 * full convolution of g with w, dw the correlation of x with g. Upstream cells are buttons.
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib, conv = cnnlib.conv, d = cnnlib.draw;

  /* the two shares of upstream cell (r, c): dx's (the shape of x) and dw's (of w) */
  function shares(x, w, g, r, c) {
    var gv = g.data[r * g.width + c];
    var dx = conv.array(x.height, x.width), dw = conv.array(w.height, w.width);
    for (var i = 0; i < w.height; i++) {
      for (var j = 0; j < w.width; j++) {
        dx.data[(r + i) * x.width + c + j] = gv * w.data[i * w.width + j];
        dw.data[i * w.width + j] = gv * x.data[(r + i) * x.width + c + j];
      }
    }
    return {dx: dx, dw: dw, g: gv};
  }

  function render(args) {
    var model = args.model, el = args.el;
    var x = d.readRows(model.get("image"), "image");
    var w = d.readRows(model.get("kernel"), "kernel");
    var g = d.readRows(model.get("upstream"), "upstream");
    if (g.height !== x.height - w.height + 1 || g.width !== x.width - w.width + 1) {
      throw new Error("upstream must have the output's shape " + (x.height - w.height + 1) +
                      "x" + (x.width - w.width + 1) + ", got " + g.height + "x" + g.width);
    }
    var selected = (model.get("selected") || [0, 0]).slice();
    var dxFull = conv.convolve2d(g, w, 1, [w.height - 1, w.width - 1]);
    var dwFull = conv.correlate2d(x, g, 1, [0, 0]);
    el.classList.add("cnnlib-x", "cnnlib-x-backprop-explorer");

    var figures = d.h("div", {class: "cnnlib-x-figures"});
    var totals = d.h("div", {class: "cnnlib-x-figures"});
    var note = d.h("p", {class: "cnnlib-x-summary", "aria-live": "polite"});
    el.appendChild(figures);
    el.appendChild(note);
    el.appendChild(d.h("p", {class: "cnnlib-x-summary",
      text: "The full gradients, the sums of the shares of all " + g.data.length +
            " upstream cells:"}));
    el.appendChild(totals);

    function figure(content, caption) {
      return d.h("figure", {}, [content, d.h("figcaption", {text: caption})]);
    }

    function update() {
      var r = selected[0], c = selected[1], s = shares(x, w, g, r, c);
      var inWindow = function (i, j) {
        return i >= r && i < r + w.height && j >= c && j < c + w.width ? "cnnlib-x-in-patch" : "";
      };
      var vx = conv.maxAbs(x) || 1, vg = conv.maxAbs(g) || 1;
      var vdx = Math.max(conv.maxAbs(dxFull), conv.maxAbs(s.dx)) || 1;
      var vdw = Math.max(conv.maxAbs(dwFull), conv.maxAbs(s.dw)) || 1;
      figures.textContent = "";
      figures.appendChild(figure(d.cellGrid(g, "upstream gradient", vg, pick, function (i, j) {
        return i === r && j === c ? "cnnlib-x-selected" : "";
      }), "upstream gradient g (click a cell)"));
      figures.appendChild(figure(d.cellGrid(x, "input", vx, null, inWindow),
                                 "input x: the window g[" + r + ", " + c + "] saw"));
      figures.appendChild(figure(d.cellGrid(s.dx, "share of dx", vdx, null, inWindow),
                                 "its share of dx: " + d.format(s.g) + " × w"));
      figures.appendChild(figure(d.cellGrid(s.dw, "share of dw", vdw, null),
                                 "its share of dw: " + d.format(s.g) + " × window"));
      totals.textContent = "";
      totals.appendChild(figure(d.cellGrid(dxFull, "dx", vdx, null),
                                "dx = full convolution of g with w"));
      totals.appendChild(figure(d.cellGrid(dwFull, "dw", vdw, null),
                                "dw = x correlated with g"));
      note.textContent = "g[" + r + ", " + c + "] = " + d.format(s.g) + " reaches input rows " +
        r + "-" + (r + w.height - 1) + ", columns " + c + "-" + (c + w.width - 1) +
        " and every weight: it adds " + d.format(s.g) + " × w to dx there, and " +
        d.format(s.g) + " × that window to dw.";
      note.setAttribute("data-selected", r + "," + c);
    }

    function pick(r, c) {
      selected = [r, c];
      model.set("selected", selected.slice()); model.save_changes();
      update();
      var b = figures.querySelector("figure").querySelectorAll("button")[r * g.width + c];
      if (b) { b.focus(); }
    }

    update();
  }

  cnnlib.explorables.backprop_explorer = {render: render};
})(typeof window !== "undefined" ? window : globalThis);
