/* cnnlib/viz/explorables/flip_explorer.js: correlation or convolution, one toggle apart.
 *
 * State: image (rows), kernel (rows), convolution (bool). The toggle flips the kernel as
 * applied (180 degrees) and both outputs, correlate2d and convolve2d with "same" padding,
 * stay on screen; the one the toggle selects is outlined. Input cells switch on and off.
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib, conv = cnnlib.conv, d = cnnlib.draw;

  function render(args) {
    var model = args.model, el = args.el;
    var image = d.readRows(model.get("image"), "image");
    var kernel = d.readRows(model.get("kernel"), "kernel");
    var original = conv.array(image.height, image.width, image.data.slice());
    var convolution = !!model.get("convolution");
    var pad = [Math.floor(kernel.height / 2), Math.floor(kernel.width / 2)];
    el.classList.add("cnnlib-x", "cnnlib-x-flip-explorer");

    var toggle = d.button("", function () {
      convolution = !convolution;
      model.set("convolution", convolution); model.save_changes();
      update();
      toggle.focus();
    }, {"aria-pressed": String(convolution), class: "cnnlib-x-toggle"});
    var toggleField = d.labelled("operation", toggle);
    var note = d.h("p", {class: "cnnlib-x-summary", "aria-live": "polite"});
    var figures = d.h("div", {class: "cnnlib-x-figures"});
    el.appendChild(d.h("div", {class: "cnnlib-x-controls"}, [toggleField]));
    el.appendChild(figures);
    el.appendChild(note);

    function figure(content, caption, active) {
      var f = d.h("figure", {class: active ? "cnnlib-x-active" : ""},
                  [content, d.h("figcaption", {text: caption})]);
      return f;
    }

    function update() {
      var applied = convolution ? conv.flip(kernel) : kernel;
      var corr = conv.correlate2d(image, kernel, 1, pad);
      var convd = conv.convolve2d(image, kernel, 1, pad);
      var vmax = Math.max(conv.maxAbs(corr), conv.maxAbs(kernel)) || 1;
      toggle.textContent = convolution ? "convolution (kernel flipped)"
                                       : "cross-correlation (kernel as is)";
      toggle.setAttribute("aria-pressed", String(convolution));
      figures.textContent = "";
      figures.appendChild(figure(d.cellGrid(image, "input", conv.maxAbs(image) || 1, flipCell),
                                 "input (click a cell to switch it on or off)"));
      figures.appendChild(figure(d.cellGrid(applied, "kernel as applied", vmax, null),
        convolution ? "kernel as applied: K flipped, K[::-1, ::-1]"
                    : "kernel as applied: K itself"));
      figures.appendChild(figure(d.cellGrid(corr, "correlate2d output", vmax, null),
                                 "correlate2d(x, K, padding=\"same\")", !convolution));
      figures.appendChild(figure(d.cellGrid(convd, "convolve2d output", vmax, null),
                                 "convolve2d(x, K, padding=\"same\")", convolution));
      var same = corr.data.every(function (v, i) { return v === convd.data[i]; });
      note.textContent = same
        ? "The two outputs are equal: this input and kernel do not tell the operations apart."
        : "Press the toggle: the kernel as applied turns by 180 degrees, and the outlined " +
          "output switches between the two maps, which differ.";
      figures.setAttribute("data-convolution", String(convolution));
    }

    function flipCell(r, c) {
      var n = r * image.width + c;
      image.data[n] = image.data[n] !== 0 ? 0 : (original.data[n] || 1);
      model.set("image", conv.toRows(image)); model.save_changes();
      update();
      var b = figures.querySelector("figure").querySelectorAll("button")[n];
      if (b) { b.focus(); }
    }

    update();
  }

  cnnlib.explorables.flip_explorer = {render: render};
})(typeof window !== "undefined" ? window : globalThis);
