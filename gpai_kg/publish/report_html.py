"""The filing report (``gpai_kg.publish.filing``) as HTML and as PDF.

HTML: the report's Markdown rendered by markdown-it-py (CommonMark and
tables; raw HTML in the Markdown is not passed through, so nothing a user
typed becomes markup), in one self-contained page with a print style sheet.
PDF: that page typeset by WeasyPrint (A4, the model, the date and "not legal
advice" on every page, page numbers). Fonts are the system's (DejaVu on
Debian).
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from html import escape

from gpai_kg.errors import UserError
from gpai_kg.publish.filing import markdown

_POWER = re.compile(r"10\^(-?\d+)")
STYLE = """
@page { size: A4; margin: 20mm 16mm 20mm 16mm;
  @top-left { content: string(model); font-size: 8pt; color: #555; }
  @top-right { content: "Not legal advice"; font-size: 8pt; color: #a00; }
  @bottom-left { content: MADE; font-size: 8pt; color: #555; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 8pt; color: #555; } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4;
  color: #111; }
body { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 17pt; color: #003399; border-bottom: 2px solid #003399; padding-bottom: 4pt; string-set: model content(); }
h2 { font-size: 13pt; color: #003399; margin-top: 18pt; break-after: avoid; border-bottom: 1px solid #ccd; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; }
p, li { orphans: 2; widows: 2; }
a { color: #0b5ed7; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 9pt; }
th, td { border: 1px solid #ccd; padding: 3pt 5pt; text-align: left; vertical-align: top;
  overflow-wrap: break-word; hyphens: manual; }
th { background: #eef1f8; }
tr { break-inside: avoid; }
blockquote { margin: 6pt 0; padding: 4pt 8pt; border-left: 3px solid #ffcc00; background: #fffbea;
  font-family: "DejaVu Serif", Georgia, serif; }
blockquote p { margin: 2pt 0; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; background: #f3f3f3; padding: 0 2pt; }
ol { padding-left: 1.6em; } ol li { margin: 0; }
footer { margin-top: 18pt; font-size: 8.5pt; color: #555; }
dl.about { display: grid; grid-template-columns: max-content auto; gap: 2pt 10pt; }
"""


def html(data: Mapping) -> str:
    """The report as one self-contained HTML page."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown(data))
    body = _POWER.sub(r"10<sup>\1</sup>", body)  # 10^25 as the Official Journal prints it
    result = data["result"]
    title = escape(f"Assessment of {result['name']} under the AI Act — as of {result['as_of']}")
    made = f"gpai-kg {data['gpai_kg']} · made {data['made']} · answers as of {result['as_of']}"
    style = STYLE.replace("MADE", '"' + re.sub(r'[\\"\n]', "", made) + '"')
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="generator" content="gpai-kg {escape(data["gpai_kg"])}">'
            f"<style>{style}</style></head><body>\n{body}<footer>{escape(made)}</footer>\n</body></html>\n")


def pdf(data: Mapping) -> bytes:
    """The report as PDF, typeset by WeasyPrint from ``html(data)``; nothing is fetched."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        raise UserError(f"the PDF report needs WeasyPrint and the Pango library: {exc}") from None

    def refuse(url: str, *args, **kwargs):
        raise ValueError(f"the report fetches nothing ({url})")

    return HTML(string=html(data), url_fetcher=refuse).write_pdf()
