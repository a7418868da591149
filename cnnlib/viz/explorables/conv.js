/* cnnlib/viz/explorables/conv.js: the convolution maths of the explorables, written once.
 *
 * A classic script (no ES modules: Chromium refuses them on file:// pages). It defines
 * globalThis.cnnlib.conv. An array here is {data: Float32Array, height, width}, row-major,
 * the JavaScript twin of one (H, W) numpy channel. Names follow cnnlib's Python side.
 */
(function (root) {
  "use strict";
  var cnnlib = root.cnnlib = root.cnnlib || {};
  if (cnnlib.conv) { return; }

  function array(height, width, data) {
    data = data || new Float32Array(height * width);
    if (data.length !== height * width) {
      throw new Error("array data has " + data.length + " values, expected " +
                      height + "x" + width);
    }
    return {data: data, height: height, width: width};
  }

  function fromRows(rows) {
    var height = rows.length, width = rows[0].length, out = array(height, width);
    for (var r = 0; r < height; r++) {
      if (rows[r].length !== width) { throw new Error("ragged rows"); }
      for (var c = 0; c < width; c++) { out.data[r * width + c] = rows[r][c]; }
    }
    return out;
  }

  function toRows(a) {
    var rows = [];
    for (var r = 0; r < a.height; r++) {
      rows.push(Array.prototype.slice.call(a.data, r * a.width, (r + 1) * a.width));
    }
    return rows;
  }

  /* base64 of little-endian float32 bytes (numpy's tobytes()) -> Float32Array */
  function decodeFloat32(text) {
    var bin = atob(text), n = bin.length;
    if (n % 4 !== 0) { throw new Error("float32 data of " + n + " bytes"); }
    var bytes = new Uint8Array(n);
    for (var i = 0; i < n; i++) { bytes[i] = bin.charCodeAt(i); }
    return new Float32Array(bytes.buffer);
  }

  function pair(value, name) {
    var p = Array.isArray(value) ? value : [value, value];
    if (p.length !== 2 || !(Number.isInteger(p[0]) && Number.isInteger(p[1]))) {
      throw new Error(name + " must be an integer or a pair of integers, got " + value);
    }
    return p;
  }

  /* H' = floor((H + 2P - K) / S) + 1 */
  function outputSize(inputSize, kernelSize, stride, padding) {
    var span = inputSize + 2 * padding - kernelSize;
    if (stride < 1) { throw new Error("stride must be at least 1, got " + stride); }
    if (span < 0) {
      throw new Error("kernel " + kernelSize + " is larger than the padded input " +
                      (inputSize + 2 * padding));
    }
    return Math.floor(span / stride) + 1;
  }

  /* out[r, c] = sum_ij padded[r*S + i, c*S + j] * kernel[i, j]; zero padding. */
  function correlate2d(image, kernel, stride, padding) {
    var s = pair(stride === undefined ? 1 : stride, "stride");
    var p = pair(padding === undefined ? 0 : padding, "padding");
    var kh = kernel.height, kw = kernel.width, h = image.height, w = image.width;
    var oh = outputSize(h, kh, s[0], p[0]), ow = outputSize(w, kw, s[1], p[1]);
    var out = array(oh, ow), x = image.data, k = kernel.data;
    for (var r = 0; r < oh; r++) {
      for (var c = 0; c < ow; c++) {
        var top = r * s[0] - p[0], left = c * s[1] - p[1], sum = 0;
        for (var i = 0; i < kh; i++) {
          var y = top + i;
          if (y < 0 || y >= h) { continue; }
          var row = y * w, krow = i * kw;
          for (var j = 0; j < kw; j++) {
            var xx = left + j;
            if (xx >= 0 && xx < w) { sum += x[row + xx] * k[krow + j]; }
          }
        }
        out.data[r * ow + c] = sum;
      }
    }
    return out;
  }

  /* The terms of one output cell: the patch (zeros where it hangs over the padding),
   * which of its cells are padding, the products and their sum. */
  function patchTerms(image, kernel, r, c, stride, padding) {
    var s = pair(stride, "stride"), p = pair(padding, "padding"), terms = [];
    var top = r * s[0] - p[0], left = c * s[1] - p[1], sum = 0;
    for (var i = 0; i < kernel.height; i++) {
      for (var j = 0; j < kernel.width; j++) {
        var y = top + i, xx = left + j;
        var inside = y >= 0 && y < image.height && xx >= 0 && xx < image.width;
        var value = inside ? image.data[y * image.width + xx] : 0;
        var weight = kernel.data[i * kernel.width + j];
        terms.push({row: y, col: xx, padding: !inside, value: value, weight: weight,
                    product: value * weight});
        sum += value * weight;
      }
    }
    return {terms: terms, sum: sum, top: top, left: left};
  }

  function flip(kernel) {
    var out = array(kernel.height, kernel.width), n = kernel.data.length;
    for (var i = 0; i < n; i++) { out.data[i] = kernel.data[n - 1 - i]; }
    return out;
  }

  /* convolution = correlation with the flipped kernel */
  function convolve2d(image, kernel, stride, padding) {
    return correlate2d(image, flip(kernel), stride, padding);
  }

  function map(a, fn) {
    var out = array(a.height, a.width);
    for (var i = 0; i < a.data.length; i++) { out.data[i] = fn(a.data[i]); }
    return out;
  }

  function relu(a) { return map(a, function (v) { return v > 0 ? v : 0; }); }
  function abs(a) { return map(a, Math.abs); }

  /* What an 8-bit image file keeps of a map on the 0..1 scale: round(255 v), clipped. */
  function clip8bit(a) {
    return map(a, function (v) {
      return Math.min(255, Math.max(0, Math.round(v * 255))) / 255;
    });
  }

  function shift(a, dy, dx) {
    var out = array(a.height, a.width);
    for (var r = 0; r < a.height; r++) {
      for (var c = 0; c < a.width; c++) {
        var y = r - dy, x = c - dx;
        if (y >= 0 && y < a.height && x >= 0 && x < a.width) {
          out.data[r * a.width + c] = a.data[y * a.width + x];
        }
      }
    }
    return out;
  }

  function maxAbs(a) {
    var m = 0;
    for (var i = 0; i < a.data.length; i++) {
      var v = Math.abs(a.data[i]);
      if (v > m) { m = v; }
    }
    return m;
  }

  /* One step of gradient descent on the mean squared error of correlate2d(x, kernel)
   * (valid, stride 1) against target. dpred = 2 (pred - target) / size, and the weight
   * gradient is the correlation of the input with dpred. Returns {kernel, loss}:
   * the loss before the step. */
  function sgdStep(x, target, kernel, lr) {
    var pred = correlate2d(x, kernel, 1, 0), n = pred.data.length, loss = 0;
    if (target.height !== pred.height || target.width !== pred.width) {
      throw new Error("target " + target.height + "x" + target.width +
                      " does not match the output " + pred.height + "x" + pred.width);
    }
    var dpred = array(pred.height, pred.width);
    for (var i = 0; i < n; i++) {
      var diff = pred.data[i] - target.data[i];
      loss += diff * diff;
      dpred.data[i] = 2 * diff / n;
    }
    var grad = correlate2d(x, dpred, 1, 0), next = array(kernel.height, kernel.width);
    for (var k = 0; k < next.data.length; k++) {
      next.data[k] = kernel.data[k] - lr * grad.data[k];
    }
    return {kernel: next, loss: loss / n, grad: grad};
  }

  cnnlib.conv = {
    array: array, fromRows: fromRows, toRows: toRows, decodeFloat32: decodeFloat32,
    outputSize: outputSize, correlate2d: correlate2d, convolve2d: convolve2d,
    patchTerms: patchTerms, flip: flip, relu: relu, abs: abs, clip8bit: clip8bit,
    shift: shift, maxAbs: maxAbs, sgdStep: sgdStep
  };
})(typeof window !== "undefined" ? window : globalThis);
