"""First load of every chapter page in headless Chromium, cold cache, from a local server.

    python benchmarks/bench_pages.py BUILD_HTML [OTHER_BUILD_HTML ...] [--runs 5]

For each build and each chapter page: the median time from navigation to the `load` event
over fresh browser contexts (an empty cache each time), the bytes the page transfers up to
then (HTML, theme, images, scripts) and its own bytes: the HTML plus every file it uses that
no other page uses (theme files under `_static/` are shared by every page), counted with
its lazy images fetched and its explorables drawn, as a reader who scrolls to the end gets it. With two builds
(before, after) the table shows both side by side.

Requests that leave the machine fail, as for a reader without a network: Chromium resolves
no host name but 127.0.0.1 (`--host-resolver-rules`), and the table names any page that
tried one. (Blocking them with Playwright's request interception instead would send every
request of the page through the test driver and add 60-90 ms to each load.)
"""
import argparse
import functools
import http.server
import statistics
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
DEFAULT_BUILD = Path(__file__).resolve().parents[1] / "_build" / "html"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
TIMING = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    return {load: nav.loadEventEnd - nav.startTime,
            bytes: nav.transferSize + res.reduce((a, r) => a + r.transferSize, 0),
            files: res.map(r => r.name)};
}"""


READ_TO_THE_END = """() => {
    document.querySelectorAll('img[loading="lazy"]').forEach(i => { i.loading = 'eager'; });
    if (window.cnnlib && window.cnnlib.mountAll) { window.cnnlib.mountAll(true); }
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def _local(url, base):
    return unquote(urlparse(url).path).lstrip("/") if url.startswith(base) else None


def measure(browser, root, runs):
    """{page: (median load ms, transferred bytes, own bytes)} for the chapters of a build."""
    pages = sorted(str(p.relative_to(root)) for p in (root / "notebooks").glob("*.html"))
    httpd, base = serve(root)
    try:
        loads, transferred, files, outside = {}, {}, {}, {}
        for _ in range(runs):
            for rel in pages:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.on("request", lambda r, rel=rel: r.url.startswith((base, "data:", "blob:"))
                        or outside.setdefault(rel, set()).add(r.url))
                page.goto(base + rel, wait_until="load")
                t = page.evaluate(TIMING)
                loads.setdefault(rel, []).append(t["load"])
                transferred[rel] = t["bytes"]
                # own bytes count the whole page, as a reader who scrolls to the end gets it
                page.evaluate(READ_TO_THE_END)
                page.wait_for_load_state("networkidle")
                files[rel] = {f for f in (_local(u, base) for u in page.evaluate(TIMING)["files"])
                              if f}
                context.close()
    finally:
        httpd.shutdown()
    result = {}
    for rel in pages:
        others = {f for other in pages if other != rel for f in files[other]}
        own = {rel} | {f for f in files[rel] if f not in others and not f.startswith("_static/")}
        size = sum((root / f).stat().st_size for f in own if (root / f).is_file())
        result[rel] = (statistics.median(loads[rel]), transferred[rel], size)
    for rel, urls in sorted(outside.items()):
        print(f"bench_pages: {rel} asked for {len(urls)} files off the machine, "
              f"for example {sorted(urls)[0]}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="*", type=Path, default=[DEFAULT_BUILD],
                        help=f"folders holding the built HTML (default: {DEFAULT_BUILD})")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    missing = [b for b in args.builds if not (b / "index.html").exists()]
    if missing:  # `make bench` runs every script: say what is missing and let the others run
        print(f"bench_pages: no built book in {', '.join(map(str, missing))}; run `make book` "
              "first. Skipped.")
        return
    if not Path(CHROMIUM).exists():
        print(f"bench_pages: Chromium is not installed at {CHROMIUM}. Skipped.")
        return
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        results = [measure(browser, b.resolve(), args.runs) for b in args.builds]
        browser.close()
    print(f"first load, cold cache, median of {args.runs}; MB = 10^6 bytes")
    head = " | ".join(f"{b.parent.parent.name or b}: load ms, MB fetched by then, own MB"
                      for b in args.builds)
    print(f"| page | {head} |")
    for rel in sorted(set().union(*results)):
        cells = " | ".join(
            f"{r[rel][0]:.0f}, {r[rel][1] / 1e6:.2f}, {r[rel][2] / 1e6:.2f}" if rel in r else "-"
            for r in results)
        print(f"| {Path(rel).stem} | {cells} |")


if __name__ == "__main__":
    main()
