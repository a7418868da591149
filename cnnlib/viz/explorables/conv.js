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

  /* The image with zeros around it: top and bottom p[0] rows, left and right p[1]. */
  function pad(image, p) {
    if (!p[0] && !p[1]) { return image; }
    var w = image.width + 2 * p[1], out = array(image.height + 2 * p[0], w);
    for (var r = 0; r < image.height; r++) {
      out.data.set(image.data.subarray(r * image.width, (r + 1) * image.width),
                   (r + p[0]) * w + p[1]);
    }
    return out;
  }

  /* The same sum for a 3x3 kernel and stride 1, written out: the explorables' hot loop. */
  function correlate3x3(x, w, k, o, oh, ow) {
    var k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5];
    var k6 = k[6], k7 = k[7], k8 = k[8];
    for (var r = 0; r < oh; r++) {
      var a = r * w, b = a + w, c = b + w, dst = r * ow;
      for (var j = 0; j < ow; j++) {
        o[dst + j] = x[a + j] * k0 + x[a + j + 1] * k1 + x[a + j + 2] * k2 +
                     x[b + j] * k3 + x[b + j + 1] * k4 + x[b + j + 2] * k5 +
                     x[c + j] * k6 + x[c + j + 1] * k7 + x[c + j + 2] * k8;
      }
    }
  }

  /* out[r, c] = sum_ij padded[r*S + i, c*S + j] * kernel[i, j]; zero padding. */
  function correlate2d(image, kernel, stride, padding) {
    var s = pair(stride === undefined ? 1 : stride, "stride");
    var p = pair(padding === undefined ? 0 : padding, "padding");
    var kh = kernel.height, kw = kernel.width;
    var oh = outputSize(image.height, kh, s[0], p[0]);
    var ow = outputSize(image.width, kw, s[1], p[1]);
    var padded = pad(image, p), x = padded.data, w = padded.width, k = kernel.data;
    var out = array(oh, ow), o = out.data;
    if (kh === 3 && kw === 3 && s[0] === 1 && s[1] === 1) {   // the common case, unrolled
      correlate3x3(x, w, k, o, oh, ow);
      return out;
    }
    for (var r = 0; r < oh; r++) {
      var base = r * s[0] * w;
      for (var c = 0; c < ow; c++) {
        var corner = base + c * s[1], sum = 0;
        for (var i = 0; i < kh; i++) {
          var row = corner + i * w, krow = i * kw;
          for (var j = 0; j < kw; j++) { sum += x[row + j] * k[krow + j]; }
        }
        o[r * ow + c] = sum;
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

  /* Mean squared error of correlate2d(x, kernel) (valid, stride 1) against the targets,
   * over a batch of inputs, and its gradient with respect to the kernel. As cl.mse:
   * dpred = 2 (pred - target) / M over all M outputs of the batch; the weight gradient is
   * the correlation of each input with its dpred, summed over the batch. */
  function batchGradient(xs, targets, kernel) {
    var preds = xs.map(function (x) { return correlate2d(x, kernel, 1, 0); });
    var m = 0, loss = 0;
    preds.forEach(function (p, n) {
      if (targets[n].height !== p.height || targets[n].width !== p.width) {
        throw new Error("target " + targets[n].height + "x" + targets[n].width +
                        " does not match the output " + p.height + "x" + p.width);
      }
      m += p.data.length;
    });
    var grad = array(kernel.height, kernel.width);
    preds.forEach(function (p, n) {
      var dpred = array(p.height, p.width), t = targets[n].data;
      for (var i = 0; i < p.data.length; i++) {
        var diff = p.data[i] - t[i];
        loss += diff * diff;
        dpred.data[i] = 2 * diff / m;
      }
      var g = correlate2d(xs[n], dpred, 1, 0);
      for (var k = 0; k < g.data.length; k++) { grad.data[k] += g.data[k]; }
    });
    return {loss: loss / m, grad: grad};
  }

  /* One step of SGD on one input: {kernel, loss (before the step), grad}. */
  function sgdStep(x, target, kernel, lr) {
    var g = batchGradient([x], [target], kernel), next = array(kernel.height, kernel.width);
    for (var k = 0; k < next.data.length; k++) {
      next.data[k] = kernel.data[k] - lr * g.grad.data[k];
    }
    return {kernel: next, loss: g.loss, grad: g.grad};
  }

  /* cl.SGD's update: v = momentum v + g (v starts as g), then w -= lr v. In place. */
  function momentumStep(kernel, grad, velocity, lr, momentum) {
    for (var k = 0; k < kernel.data.length; k++) {
      velocity.data[k] = velocity.started ? momentum * velocity.data[k] + grad.data[k]
                                          : grad.data[k];
      kernel.data[k] -= lr * velocity.data[k];
    }
    velocity.started = true;
  }

  cnnlib.conv = {
    array: array, fromRows: fromRows, toRows: toRows, decodeFloat32: decodeFloat32,
    outputSize: outputSize, pad: pad, correlate2d: correlate2d, convolve2d: convolve2d,
    patchTerms: patchTerms, flip: flip, relu: relu, abs: abs, clip8bit: clip8bit,
    shift: shift, maxAbs: maxAbs, batchGradient: batchGradient, sgdStep: sgdStep,
    momentumStep: momentumStep
  };
})(typeof window !== "undefined" ? window : globalThis);
