/* cnnlib/viz/explorables/sgd_explorer.js: a random 3x3 kernel learns a hand-made one, live.
 *
 * State: patches {height: N*P, width: P, float32} (N square inputs stacked), target_kernel
 * and start_kernel (9 numbers each), rates (learning rates the slider offers), rate (index),
 * batch_size, momentum, seed. Targets are correlate2d(patch, target_kernel), computed here.
 * Each step: a random batch, the mean squared error, its gradient (conv.batchGradient) and
 * cl.SGD's momentum update. The loss on every patch is plotted on a log scale.
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib, conv = cnnlib.conv, d = cnnlib.draw;
  var LOG_LO = -8, LOG_HI = 8, LIMIT = 1e10;

  function mulberry32(seed) {   // a small seeded generator: the same batches every reset
    return function () {
      seed = (seed + 0x6D2B79F5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function kernelOf(list, name) {
    if (!Array.isArray(list) || list.length !== 9 || !list.every(isFinite)) {
      throw new Error(name + " must be 9 finite numbers");
    }
    return conv.array(3, 3, new Float32Array(list));
  }

  function render(args) {
    var model = args.model, el = args.el;
    var stack = d.readArray(model.get("patches"), "patches"), p = stack.width;
    if (stack.height % p !== 0 || p < 3) { throw new Error("patches must be square, >= 3"); }
    var xs = [], ts = [];
    var target = kernelOf(model.get("target_kernel"), "target_kernel");
    for (var n = 0; n < stack.height / p; n++) {
      var x = conv.array(p, p, stack.data.slice(n * p * p, (n + 1) * p * p));
      xs.push(x);
      ts.push(conv.correlate2d(x, target, 1, 0));
    }
    var startKernel = kernelOf(model.get("start_kernel"), "start_kernel");
    var rates = model.get("rates"), rate = model.get("rate") || 0;
    var batchSize = Math.min(model.get("batch_size") || 16, xs.length);
    var momentum = model.get("momentum") || 0;
    var kernel, velocity, losses, random, steps, timer = null, diverged = false;
    el.classList.add("cnnlib-x", "cnnlib-x-sgd-explorer");

    var lr = d.slider("learning rate", 0, rates.length - 1, 1, rate, function (i) {
      rate = i; lr.querySelector("output").textContent = String(rates[i]);
      model.set("rate", i); model.save_changes();
    });
    lr.querySelector("output").textContent = String(rates[rate]);
    lr.control.setAttribute("aria-valuetext", "lr " + rates[rate]);
    var play = d.button("play", function () { timer ? stop() : start(); },
                        {"aria-pressed": "false"});
    var stepBtn = d.button("step", function () { stop(); step(); draw(); });
    var reset = d.button("reset", function () { stop(); init(); draw(); });
    var curve = d.canvas("loss on every patch against the step, log scale");
    var learned = grid("learned kernel"), goal = grid("target kernel");
    var status = d.h("p", {class: "cnnlib-x-summary", "aria-live": "off"});
    var readout = d.h("p", {class: "cnnlib-x-readout",
                            text: "point at the curve to read the loss at a step"});
    el.appendChild(d.h("div", {class: "cnnlib-x-controls"}, [
      lr, d.h("div", {class: "cnnlib-x-row"}, [stepBtn, play, reset])]));
    el.appendChild(d.h("div", {class: "cnnlib-x-figures"}, [
      d.h("figure", {}, [curve.canvas, d.h("figcaption", {
        text: "loss on all " + xs.length + " patches (log scale, 1e-8 to 1e8)"})]),
      d.h("figure", {}, [learned.el, d.h("figcaption", {text: "learned kernel"})]),
      d.h("figure", {}, [goal.el, d.h("figcaption", {text: "target (hand-made)"})])
    ]));
    el.appendChild(status);
    el.appendChild(readout);

    function grid(label) {
      var g = d.h("div", {class: "cnnlib-x-grid", role: "group", "aria-label": label});
      g.style.gridTemplateColumns = "repeat(3, max-content)";
      var cells = [];
      for (var i = 0; i < 9; i++) {
        var c = d.h("span", {class: "cnnlib-x-cell cnnlib-x-kcell"});
        g.appendChild(c);
        cells.push(c);
      }
      return {el: g, cells: cells};
    }

    function show(g, k, vmax) {
      for (var i = 0; i < 9; i++) {
        var v = k.data[i], rgb = d.colour(isFinite(v) ? v : 0, vmax, true);
        g.cells[i].textContent = isFinite(v) ? v.toFixed(2) : String(v);
        g.cells[i].style.background = d.css(rgb);
        g.cells[i].style.color = (rgb[0] + rgb[1] + rgb[2]) < 300 ? "#fff" : "#000";
      }
    }

    function fullLoss(k) { return conv.batchGradient(xs, ts, k).loss; }

    function init() {
      kernel = conv.array(3, 3, startKernel.data.slice());
      velocity = conv.array(3, 3);
      random = mulberry32(model.get("seed") || 0);
      losses = [fullLoss(kernel)];
      steps = 0; diverged = false;
      d.message(el, "");
    }

    function batch() {
      var order = xs.map(function (_, i) { return i; });
      for (var i = 0; i < batchSize; i++) {   // a partial Fisher-Yates shuffle
        var j = i + Math.floor(random() * (order.length - i)), t = order[i];
        order[i] = order[j]; order[j] = t;
      }
      return order.slice(0, batchSize);
    }

    function step() {
      if (diverged) { return; }
      var idx = batch();
      var g = conv.batchGradient(idx.map(function (i) { return xs[i]; }),
                                 idx.map(function (i) { return ts[i]; }), kernel);
      conv.momentumStep(kernel, g.grad, velocity, rates[rate], momentum);
      steps += 1;
      var loss = fullLoss(kernel);
      losses.push(loss);
      if (!isFinite(loss) || loss > LIMIT) {
        diverged = true;
        stop();
        d.message(el, "Diverged at step " + steps + " with lr " + rates[rate] +
          ": the loss passed " + d.format(LIMIT) + ". Lower the learning rate, then reset.");
      }
    }

    function start() {
      if (diverged) { init(); }
      play.textContent = "pause"; play.setAttribute("aria-pressed", "true");
      function frame() {   // one step per screen refresh: about 60 steps a second
        if (!timer) { return; }
        step();
        draw();
        if (timer) { timer = root.requestAnimationFrame(frame); }
      }
      timer = root.requestAnimationFrame(frame);
    }
    function stop() {
      if (timer) { root.cancelAnimationFrame(timer); }
      timer = null;
      play.textContent = "play"; play.setAttribute("aria-pressed", "false");
    }

    function y(loss, h) {
      var l = Math.log10(Math.max(loss, 1e-30));
      l = Math.max(LOG_LO, Math.min(LOG_HI, isFinite(l) ? l : LOG_HI));
      return (LOG_HI - l) / (LOG_HI - LOG_LO) * h;
    }

    function draw() {
      var w = d.fit(el, 420, 1), h = Math.round(w * 0.5), ctx = curve.ctx;
      if (curve.cssWidth !== w) { curve.resize(w, h); curve.cssWidth = w; curve.cssHeight = h; }
      ctx.clearRect(0, 0, w, h);
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h);
      ctx.strokeStyle = "#ddd"; ctx.fillStyle = "#555"; ctx.font = "10px sans-serif";
      for (var e = LOG_LO; e <= LOG_HI; e += 4) {
        var yy = y(Math.pow(10, e), h);
        ctx.beginPath(); ctx.moveTo(0, yy); ctx.lineTo(w, yy); ctx.stroke();
        ctx.fillText("1e" + e, 2, Math.min(h - 2, Math.max(10, yy - 2)));
      }
      var span = Math.max(100, losses.length - 1);
      ctx.strokeStyle = "#2166ac"; ctx.lineWidth = 1.5; ctx.beginPath();
      losses.forEach(function (loss, i) {
        var xx = i / span * w;
        if (i === 0) { ctx.moveTo(xx, y(loss, h)); } else { ctx.lineTo(xx, y(loss, h)); }
      });
      ctx.stroke();
      var last = losses.length - 1;          // the current loss, as a dot
      ctx.fillStyle = "#2166ac"; ctx.beginPath();
      ctx.arc(last / span * w, y(losses[last], h), 3, 0, 2 * Math.PI); ctx.fill();
      curve.shape = [1, span + 1];
      var vmax = Math.max(conv.maxAbs(target), 1);
      show(learned, kernel, vmax);
      show(goal, target, vmax);
      var dot = 0, nk = 0, nt = 0;
      for (var i = 0; i < 9; i++) {
        dot += kernel.data[i] * target.data[i];
        nk += kernel.data[i] * kernel.data[i]; nt += target.data[i] * target.data[i];
      }
      var cosine = dot / Math.sqrt(nk * nt);
      var loss = losses[losses.length - 1];
      status.textContent = "step " + steps + ", lr " + rates[rate] + ": loss " +
        d.format(loss) + ", cosine similarity to the target " +
        (isFinite(cosine) ? cosine.toFixed(4) : "undefined");
      status.setAttribute("data-step", steps);
      status.setAttribute("data-loss", loss);
    }

    d.pointer(curve, function (r, c) {
      if (c === null || c >= losses.length) { return; }
      readout.textContent = "step " + c + ": loss " + d.format(losses[c]);
    });
    init();
    draw();
  }

  cnnlib.explorables.sgd_explorer = {render: render};
})(typeof window !== "undefined" ? window : globalThis);
