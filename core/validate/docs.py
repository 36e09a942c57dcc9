"""Make GX Data Docs readable offline: GX's pages pull Bootstrap, Font Awesome, jQuery and Vega from
public CDNs, so an auditor without network saw unstyled pages that tried to reach the internet.

Every remote (and local static) stylesheet, script and image is removed, and one stylesheet is
inlined into each page: GX's own default styles plus a small Bootstrap-like base for the tables,
badges and cards the pages use. No JavaScript remains; the pages are rendered by GX on the server
side, so every expectation, status and observed value is in the HTML itself, except the index:
its two tables (validations, suites) are filled by bootstrap-table from data in a script, so they
are written out here as plain HTML tables with the same rows and links.
"""

from __future__ import annotations

import ast
import html as html_text
import re
import shutil
from pathlib import Path

BASE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#212529;background:#fff;line-height:1.45}
.container-fluid{padding:0 1.5rem}.row{display:flex;flex-wrap:wrap;margin:0 -.75rem}
.col-md-2,.col-md-3,.col-md-8,.col-md-9,.col-md-10,.col-12,.col{padding:0 .75rem;box-sizing:border-box}
.col-md-2,.col-md-3{flex:0 0 22%}.col-md-8,.col-md-9,.col-md-10{flex:1 1 70%}.col-12{flex:0 0 100%}
nav,.navbar{background:#f1f3f5;padding:.6rem 1.5rem;border-bottom:1px solid #dee2e6;display:flex;gap:1rem;flex-wrap:wrap}
a{color:#0b5cad}h1,h2,h3,h4,h5{margin:.8rem 0 .4rem;font-weight:600}
.card{border:1px solid #dee2e6;border-radius:.3rem;margin:.75rem 0;background:#fff}
.card-header{background:#f8f9fa;border-bottom:1px solid #dee2e6;padding:.5rem .9rem}.card-body{padding:.6rem .9rem}
table,.table{border-collapse:collapse;width:100%;margin:.4rem 0}
th,td{border:1px solid #dee2e6;padding:.35rem .55rem;text-align:left;vertical-align:top}
thead th,th{background:#f1f3f5}.table-sm td,.table-sm th{padding:.25rem .45rem}
.badge,.text-success,.text-danger{font-weight:600}.text-success{color:#1e7b34}.text-danger{color:#b02a37}
.badge{display:inline-block;padding:.1rem .45rem;border-radius:.25rem;background:#e9ecef}
.badge-success{background:#d1e7dd;color:#0f5132}.badge-danger{background:#f8d7da;color:#842029}
.alert{padding:.6rem .9rem;border-radius:.3rem;border:1px solid #dee2e6;margin:.5rem 0}
.alert-danger{background:#f8d7da}.alert-success{background:#d1e7dd}
.list-group{padding-left:0;list-style:none}.list-group-item{padding:.3rem .6rem;border-bottom:1px solid #eee}
.collapse:not(.show){display:block}.d-none{display:none}.sticky{position:static}
code,pre,.text-monospace{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
.ge-footer{display:none}.fas{font-style:normal;font-weight:700}
.fa-check-circle::before{content:"\\2714  pass";color:#1e7b34}.fa-times::before{content:"\\2718  FAIL";color:#b02a37}
"""

_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
_LINK = re.compile(r"<link\b[^>]*>", re.I)
_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
_STYLE_URL = re.compile(r"url\((['\"]?)https?://[^)]*\)", re.I)
_HEAD_END = re.compile(r"</head>", re.I)


def make_offline(site: Path) -> list[Path]:
    """Rewrite every page under `site` in place; remove the static folder. Returns the pages."""
    styles = site / "static" / "styles" / "data_docs_default_styles.css"
    gx_css = styles.read_text(encoding="utf-8") if styles.is_file() else ""
    gx_css = re.sub(r"@font-face\s*{[^}]*}", "", gx_css)  # fonts live in static/, which goes
    css = _STYLE_URL.sub("none", BASE_CSS + gx_css)
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if page.parent == site and page.name == "index.html":
            html = _static_index(html)
        html = _REMOTE_SCRIPT.sub("", html)
        html = _LINK.sub("", html)
        html = _IMAGE.sub("", html)
        html = _STYLE_URL.sub("none", html)
        html = _HEAD_END.sub(f"<style>{css}</style></head>", html, count=1)
        page.write_text(html, encoding="utf-8")
    shutil.rmtree(site / "static", ignore_errors=True)
    return pages


_TABLE_DATA = re.compile(r"data:\s*(\[.*?\]),\s*\n", re.S)
_BODY_START = re.compile(r"<body\b[^>]*>", re.I)


def _rows(script_html: str) -> list[list[dict]]:
    tables = []
    for found in _TABLE_DATA.finditer(script_html):
        try:
            rows = ast.literal_eval(found.group(1))  # GX writes the rows as a Python literal
        except (ValueError, SyntaxError):
            continue
        if isinstance(rows, list):
            tables.append([row for row in rows if isinstance(row, dict)])
    return tables


def _static_index(page: str) -> str:
    """The index's tables as plain HTML, at the top of the page."""
    parts = ['<div class="container-fluid hotpass-index">']
    for rows in _rows(page):
        if rows and "run_time" in rows[0]:
            parts.append("<h3>Validation results</h3><table class=\"table table-sm\"><thead><tr><th>status</th>"
                         "<th>run time</th><th>suite (checked on)</th></tr></thead><tbody>")
            for row in sorted(rows, key=lambda r: str(r.get("_expectation_suite_name_sort", ""))):
                status = html_text.escape(str(row.get("_validation_success_text", "")))
                css = "text-success" if status in ("Success", "Succeeded") else "text-danger"
                link = html_text.escape(str(row.get("_table_row_link_path", "")), quote=True)
                name = html_text.escape(str(row.get("_expectation_suite_name_sort", "")))
                when = html_text.escape(str(row.get("run_time", "")))
                parts.append(f'<tr><td class="{css}">{status}</td><td>{when}</td>'
                             f'<td><a href="{link}">{name}</a></td></tr>')
            parts.append("</tbody></table>")
        elif rows and "expectation_suite_name" in rows[0]:
            parts.append("<h3>Expectation suites</h3><ul class=\"list-group\">")
            for row in sorted(rows, key=lambda r: str(r.get("expectation_suite_name", ""))):
                link = html_text.escape(str(row.get("_table_row_link_path", "")), quote=True)
                name = html_text.escape(str(row.get("expectation_suite_name", "")))
                parts.append(f'<li class="list-group-item"><a href="{link}">{name}</a></li>')
            parts.append("</ul>")
    parts.append("</div>")
    found = _BODY_START.search(page)
    if not found:
        return page
    return page[:found.end()] + "".join(parts) + page[found.end():]
