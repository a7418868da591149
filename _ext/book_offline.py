"""Sphinx extension: keep the rendered book readable with the network cut off.

Jupyter Book 1.x always loads sphinx-thebe, which registers its script twice on every page (a
JavaScript error: "THEBE_JS_URL has already been declared") and points at a CDN. This book has no
live-code buttons (`launch_buttons.thebe: false`), so thebe's scripts are dropped from every page.
Formulas come from the local MathJax copy of `sphinx-mathjax-offline`.
"""


def _is_thebe(js):
    attributes = getattr(js, "attributes", {}) or {}
    text = " ".join(str(v) for v in (getattr(js, "filename", None), attributes.get("body"),
                                      attributes.get("src")) if v)
    return "THEBE_JS_URL" in text or "sphinx-thebe" in text or "unpkg.com/thebe" in text


def drop_thebe(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"] if not _is_thebe(js)]
    if "css_files" in context:
        context["css_files"] = [css for css in context["css_files"] if "thebe" not in str(css)]


def setup(app):
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
