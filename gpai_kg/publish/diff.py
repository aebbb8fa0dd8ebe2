"""A word-level diff of two texts of a provision (before and after a change),
for people: ``words`` gives the runs (kept, deleted, inserted); ``rich_markup``
renders them for the terminal, ``html`` for the app (deleted struck through
in red, inserted underlined in green). Whitespace-normalised, as the texts are.
"""

from __future__ import annotations

import difflib
import html as _html

KEPT, DELETED, INSERTED = "kept", "deleted", "inserted"


def words(before: str | None, after: str | None) -> list[tuple[str, str]]:
    """(kind, words) runs that turn ``before`` into ``after``."""
    old, new = (before or "").split(), (after or "").split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append((KEPT, " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append((DELETED, " ".join(old[i1:i2])))
        if j2 > j1:
            out.append((INSERTED, " ".join(new[j1:j2])))
    return out


def rich_markup(before: str | None, after: str | None) -> str:
    """The diff in rich console markup."""
    from rich.markup import escape

    style = {KEPT: "{}", DELETED: "[red strike]{}[/red strike]", INSERTED: "[green underline]{}[/green underline]"}
    return " ".join(style[kind].format(escape(text)) for kind, text in words(before, after))


def html(before: str | None, after: str | None) -> str:
    """The diff as HTML: ``<del>`` and ``<ins>`` runs."""
    tag = {KEPT: "{}", DELETED: '<del style="color:#b91c1c">{}</del>',
           INSERTED: '<ins style="color:#15803d">{}</ins>'}
    return " ".join(tag[kind].format(_html.escape(text)) for kind, text in words(before, after))
