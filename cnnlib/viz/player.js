/* cnnlib's frame player: no kernel, no network, no library.
   The first frame is an <img> in the page; the others (listed in the player's JSON,
   as data: URIs in a notebook or as image files in the book) are fetched the first
   time the reader uses the player. A player may hold a second set of frames, drawn for
   a phone's column (data.narrow): its first frame is the <picture>'s <source>, which
   the browser picks by the screen's width, and the same media query picks the set of
   the other frames, again whenever the width changes. Every player on the page is set
   up once. */
(function () {
  "use strict";
  var ICON = '<svg width="14" height="14" viewBox="0 0 16 16" fill="currentColor" ' +
             'aria-hidden="true" style="vertical-align:middle"><path d="PATH"/></svg>';
  var PLAY = ICON.replace("PATH", "M4 2l10 6-10 6z");
  var PAUSE = ICON.replace("PATH", "M3 2h4v12H3zM9 2h4v12H9z");

  function setup(root) {
    if (root.dataset.ready) { return; }
    root.dataset.ready = "1";
    var data = JSON.parse(root.querySelector(".cnnlib-frame-data").textContent);
    var box = root.querySelector(".cnnlib-frames");
    var frames = [box.querySelector(".cnnlib-frame")];
    var n = data.src.length + 1, current = 0, timer = null;
    var interval = parseInt(root.dataset.interval, 10);
    var slider = root.querySelector("input[type=range]");
    var label = root.querySelector(".cnnlib-label");
    var loop = root.querySelector("input[type=checkbox]");
    var playButton = root.querySelector("[data-act=play]");
    var wide = {src: data.src, width: data.width, height: data.height};
    var phone = data.narrow && window.matchMedia ? window.matchMedia(data.narrow.media)
                                                 : null;

    function frameSet() {  // the frames drawn for this screen's width
      return phone && phone.matches ? data.narrow : wide;
    }
    function fit() {  // every frame made so far shows the set for the screen's width
      var set = frameSet();
      frames.forEach(function (img, i) {
        img.width = set.width;
        img.height = set.height;
        if (i > 0 && img.getAttribute("src") !== set.src[i - 1]) { img.src = set.src[i - 1]; }
      });
    }
    function load() {  // the other frames, the first time the player is used
      if (frames.length === n) { return; }
      var set = frameSet();
      set.src.forEach(function (src, i) {
        var img = frames[0].cloneNode(false);
        img.src = src;
        img.alt = data.alt + " (frame " + (i + 2) + " of " + n + ")";
        img.style.display = "none";
        box.appendChild(img);
        frames.push(img);
      });
    }
    function show(i) {
      load();
      frames[current].style.display = "none";
      current = Math.max(0, Math.min(n - 1, i));
      frames[current].style.display = "";
      slider.value = current;
      label.textContent = data.labels[current];
    }
    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      playButton.innerHTML = PLAY;
    }
    function tick() {
      if (current + 1 < n) { show(current + 1); }
      else if (loop.checked) { show(0); } else { stop(); }
    }
    function start() {
      if (current + 1 >= n) { show(0); }
      load();
      timer = setInterval(tick, interval);
      playButton.innerHTML = PAUSE;
    }
    var actions = {
      first: function () { stop(); show(0); },
      prev: function () { stop(); show(current - 1); },
      play: function () { if (timer) { stop(); } else { start(); } },
      next: function () { stop(); show(current + 1); },
      last: function () { stop(); show(n - 1); },
      slower: function () { interval = Math.min(5000, interval * 1.5);
                            if (timer) { stop(); start(); } },
      faster: function () { interval = Math.max(20, interval / 1.5);
                            if (timer) { stop(); start(); } }
    };
    root.querySelectorAll("button").forEach(function (b) {
      b.addEventListener("click", function () { actions[b.dataset.act](); });
    });
    slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
    if (phone) {
      if (phone.addEventListener) { phone.addEventListener("change", fit); }
      else { phone.addListener(fit); }
    }
    fit();
    label.textContent = data.labels[0];
    root.querySelector(".cnnlib-controls").style.display = "";
  }

  document.querySelectorAll(".cnnlib-player").forEach(setup);
})();
