/* cnnlib/viz/explorables/unit_explorer.js: pick a unit of a feature map, see what it sees.
 *
 * State: image {height, width, float32} with `channels` colour channels interleaved
 * (H, W*C), layers [{name, channels, maps {height: C*H', width: W', float32}, start, jump,
 * size}] (receptive-field geometry in input pixels, as cl.receptive_field gives it), and
 * the selected layer, channel, row, col. A click (or the arrow keys) on the map picks the
 * unit; its window on the input is outlined and everything outside it darkened.
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib, conv = cnnlib.conv, d = cnnlib.draw;

  function render(args) {
    var model = args.model, el = args.el;
    var channels = model.get("channels") || 1;
    var flat = d.readArray(model.get("image"), "image");
    var ih = flat.height, iw = flat.width / channels;
    if (!Number.isInteger(iw)) { throw new Error("image width does not match its channels"); }
    var layers = (model.get("layers") || []).map(function (spec, n) {
      var stack = d.readArray(spec.maps, "layer " + n + " maps");
      var h = stack.height / spec.channels, maps = [];
      if (!Number.isInteger(h)) { throw new Error("layer " + n + " maps do not stack"); }
      for (var c = 0; c < spec.channels; c++) {
        maps.push(conv.array(h, stack.width,
                             stack.data.slice(c * h * stack.width, (c + 1) * h * stack.width)));
      }
      return {name: spec.name, maps: maps, start: spec.start, jump: spec.jump,
              size: spec.size};
    });
    if (!layers.length) { throw new Error("no layers to explore"); }
    var layer = Math.min(model.get("layer") || 0, layers.length - 1);
    var channel = model.get("channel") || 0, unit = [model.get("row") || 0,
                                                     model.get("col") || 0];
    el.classList.add("cnnlib-x", "cnnlib-x-unit-explorer");

    var layerSel = d.select("layer", layers.map(function (l) { return l.name; }),
      layers[layer].name, function (name) {
        layer = layers.map(function (l) { return l.name; }).indexOf(name);
        channel = Math.min(channel, layers[layer].maps.length - 1);
        unit = clampUnit(unit);
        rebuildChannel();
        update();
      });
    var channelCtl;
    var slot = d.h("span");
    var input = d.canvas("the input with the unit's receptive field outlined");
    var map = d.canvas("the feature map; click a unit, or use the arrow keys");
    map.canvas.tabIndex = 0;
    var inCap = d.h("figcaption"), mapCap = d.h("figcaption");
    var bar = d.h("div");
    var readout = d.h("p", {class: "cnnlib-x-readout", "aria-live": "polite"});
    var hover = d.h("p", {class: "cnnlib-x-readout",
                          text: "point at the map to read a value"});
    el.appendChild(d.h("div", {class: "cnnlib-x-controls"}, [layerSel, slot]));
    el.appendChild(d.h("div", {class: "cnnlib-x-figures"}, [
      d.h("figure", {}, [input.canvas, inCap]),
      d.h("figure", {}, [map.canvas, bar, mapCap])]));
    el.appendChild(readout);
    el.appendChild(hover);

    function rebuildChannel() {
      slot.textContent = "";
      channelCtl = d.slider("channel", 0, layers[layer].maps.length - 1, 1, channel,
                            function (v) { channel = v; update(); });
      slot.appendChild(channelCtl);
    }

    function clampUnit(u) {
      var m = layers[layer].maps[0];
      return [Math.max(0, Math.min(m.height - 1, u[0])), Math.max(0, Math.min(m.width - 1, u[1]))];
    }

    /* (top, left, bottom, right), clipped to the image: cl.ReceptiveField.box */
    function box(l, i, j) {
      var top = l.start[0] + i * l.jump[0], left = l.start[1] + j * l.jump[1];
      var bottom = top + l.size[0], right = left + l.size[1];
      var clip = function (v, n) { return Math.max(0, Math.min(n, v)); };
      return [clip(top, ih), clip(left, iw), clip(bottom, ih), clip(right, iw)];
    }

    function drawInput(b) {
      var width = d.fitRow(el, 300, 2), s = width / iw, ctx = input.ctx;
      if (input.cssWidth !== width) {
        input.resize(width, ih * s); input.cssWidth = width; input.cssHeight = ih * s;
      }
      var img = new ImageData(iw, ih), px = img.data, lo = Infinity, hi = -Infinity;
      for (var n = 0; n < flat.data.length; n++) {
        lo = Math.min(lo, flat.data[n]); hi = Math.max(hi, flat.data[n]);
      }
      var scale = 255 / ((hi - lo) || 1);
      for (var r = 0; r < ih; r++) {
        for (var c = 0; c < iw; c++) {
          var inside = r >= b[0] && r < b[2] && c >= b[1] && c < b[3], k = 4 * (r * iw + c);
          for (var ch = 0; ch < 3; ch++) {
            var v = flat.data[(r * iw + c) * channels + (channels === 3 ? ch : 0)];
            px[k + ch] = (v - lo) * scale * (inside ? 1 : 0.3);
          }
          px[k + 3] = 255;
        }
      }
      var off = input.offscreen || (input.offscreen = document.createElement("canvas"));
      off.width = iw; off.height = ih;
      off.getContext("2d").putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(off, 0, 0, width, ih * s);
      ctx.strokeStyle = "#e69f00"; ctx.lineWidth = 2;
      ctx.strokeRect(b[1] * s, b[0] * s, (b[3] - b[1]) * s, (b[2] - b[0]) * s);
    }

    function update() {
      var l = layers[layer], m = l.maps[channel];
      unit = clampUnit(unit);
      var b = box(l, unit[0], unit[1]), value = m.data[unit[0] * m.width + unit[1]];
      drawInput(b);
      var vmax = conv.maxAbs(m) || 1;      // each map on its own scale, as in the chapter
      d.drawMap(map, m, {width: d.fitRow(el, 300, 2), vmax: vmax, signed: true});
      var s = map.cssWidth / m.width;
      map.ctx.strokeStyle = "#000"; map.ctx.lineWidth = 2;
      map.ctx.strokeRect(unit[1] * s, unit[0] * s, s, s);
      bar.textContent = "";
      bar.appendChild(d.colourBar(Math.min(map.cssWidth, 280), vmax, true));
      inCap.textContent = "input: the unit sees rows " + b[0] + "-" + (b[2] - 1) +
        ", columns " + b[1] + "-" + (b[3] - 1) + " (" + (b[2] - b[0]) + "x" +
        (b[3] - b[1]) + " pixels)";
      mapCap.textContent = l.name + ", map " + channel + " (" + m.height + "x" + m.width + ")";
      readout.textContent = l.name + ", map " + channel + ", unit (" + unit[0] + ", " +
        unit[1] + ") = " + value.toPrecision(4);
      readout.setAttribute("data-value", value);
      readout.setAttribute("data-box", b.join(","));
      model.set("layer", layer); model.set("channel", channel);
      model.set("row", unit[0]); model.set("col", unit[1]); model.save_changes();
    }

    var cellAt = d.pointer(map, function (r, c) {
      if (r === null) { return; }
      var m = layers[layer].maps[channel];
      hover.textContent = "under the pointer: unit (" + r + ", " + c + ") = " +
        m.data[r * m.width + c].toPrecision(4);
    });
    map.canvas.addEventListener("click", function (ev) {
      var rc = cellAt(ev);
      if (rc) { unit = rc; update(); }
    });
    map.canvas.addEventListener("keydown", function (ev) {
      var m = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};
      if (!m[ev.key]) { return; }
      ev.preventDefault();
      unit = clampUnit([unit[0] + m[ev.key][0], unit[1] + m[ev.key][1]]);
      update();
    });
    rebuildChannel();
    update();
  }

  cnnlib.explorables.unit_explorer = {render: render};
})(typeof window !== "undefined" ? window : globalThis);
