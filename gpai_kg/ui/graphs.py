"""Pictures as Graphviz DOT text (``st.graphviz_chart`` renders it in the browser).

Pure functions of plain data, so they are tested without Streamlit:

- ``provision_network``: a provision, what it cites, what cites it and the
  recitals that explain it (from ``lookup.show``);
- ``explanation_graph``: an assessment's reasons as facts → rules → provisions.
"""

from __future__ import annotations

from gpai_kg.ui.common import PROVISION_WORDS, explore_url

MAX_NEIGHBOURS = 12


def quote(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:4]) + ("…" if len(lines) > 4 else "")


def _node(name: str, label: str, link: str | None = None, **attrs: str) -> str:
    extra = "".join(f", {k}={quote(v)}" for k, v in attrs.items())
    href = f", URL={quote(link)}, target=\"_self\"" if link else ""
    return f"  {quote(name)} [label={quote(_wrap(label))}{href}{extra}];"


def _capped(items: list[str]) -> tuple[list[str], int]:
    return items[:MAX_NEIGHBOURS], max(0, len(items) - MAX_NEIGHBOURS)


def provision_network(info: dict) -> str:
    """DOT of one provision's neighbourhood: cited (right), citing (left), recitals (below)."""
    me = info["citation"]
    lines = ["digraph provision {", "  rankdir=LR; bgcolor=transparent;",
             '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", fontname="Helvetica", fontsize=10];',
             '  edge [color="#7a869a", fontsize=9, fontname="Helvetica"];',
             _node(me, me, None, fillcolor="#1f4e99", fontcolor="white")]
    for group, edge, colour in (("cited_by", "cites", "#e9f3e6"), ("cites", "cites", "#fdf1e1"),
                                ("explained_by", "explains", "#f1ecf9")):
        shown, more = _capped(list(info.get(group) or []))
        for other in shown:
            link = explore_url(other) if other.startswith(PROVISION_WORDS) else None
            lines.append(_node(other, other, link, fillcolor=colour))
            src, dst = (other, me) if group in ("cited_by", "explained_by") else (me, other)
            style = ', style="dashed"' if group == "explained_by" else ""
            lines.append(f"  {quote(src)} -> {quote(dst)} [label={quote(edge)}{style}];")
        if more:
            extra = f"{group}-more"
            lines.append(_node(extra, f"+{more} more", None, fillcolor="white", style="dashed"))
            src, dst = (extra, me) if group != "cites" else (me, extra)
            lines.append(f"  {quote(src)} -> {quote(dst)} [style=dotted];")
    lines.append("}")
    return "\n".join(lines)


def explanation_graph(der) -> str:
    """DOT of a ``gpai_kg.derivation.Derivation``: facts (top) → rules → conclusions
    → … → the conclusion asked about; each rule points at the provisions it implements."""
    lines = ["digraph explanation {", "  rankdir=TB; bgcolor=transparent; nodesep=0.3; ranksep=0.35;",
             '  node [fontname="Helvetica", fontsize=10, style="filled"];',
             '  edge [color="#7a869a", fontsize=9, fontname="Helvetica"];']
    for iri, text in der.facts.items():
        lines.append(_node(iri, text, None, shape="ellipse", fillcolor="#fff6d6"))
    for iri, text in der.rules.items():
        lines.append(_node(iri, text, None, shape="box", fillcolor="#dde7f7", style="rounded,filled"))
    for iri, text in der.statements.items():
        goal = iri == der.goal
        lines.append(_node(iri, text, None, shape="note", fillcolor="#1f4e99" if goal else "#eef1f5",
                           fontcolor="white" if goal else "black"))
    for iri, text in der.provisions.items():
        lines.append(_node(iri, text, explore_url(text), shape="box", fillcolor="#f1ecf9", style="filled"))
    for source, target, label in der.edges:
        attrs = ['style="dashed"', 'arrowhead="none"', 'color="#9b87c4"'] if target in der.provisions else []
        if label and label not in ("concludes", "implements"):
            attrs.append(f"label={quote(label)}")
        lines.append(f"  {quote(source)} -> {quote(target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines)
