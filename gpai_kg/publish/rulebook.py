"""The rulebook: every rule beside the verbatim text of the provisions it
implements (Catala's literate style), read from the graph, never retyped.

Two views of one source (``data/curated/rules.ttl`` and the built Act):

- the header of each rule file (``ontology/rules/*.rq``), and of each
  template with the rules that use it;
- ``docs/rules.md``, every rule in the order the reasoner runs them.

``gpai-kg rules --write`` regenerates both; ``tests/test_rulebook.py`` fails
when either is stale. Edit the rule node or the query, never a header.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from gpai_kg import paths
from gpai_kg.files import write_atomic
from gpai_kg.namespaces import GPAI, compact
from gpai_kg.reasoning.rules import Rule, rules, rules_file
from gpai_kg.store.dataset import load_store
from gpai_kg.store.lookup import citation_of, select
from gpai_kg.store.versions import act_versions, versions

WIDTH = 110
GENERATED = ("Generated from data/curated/rules.ttl and the graph by `gpai-kg rules --write`: "
             "edit those, not this header.")
ACT = "Regulation (EU) 2024/1689, OJ L, 2024/1689, 12.7.2024"


@dataclass(frozen=True)
class RuleNode:
    """What the rulebook shows of a rule node, beyond ``Rule``."""

    label: str
    reading: str


def _nodes() -> dict[str, RuleNode]:
    from rdflib import Graph
    from rdflib.namespace import RDFS

    graph = Graph().parse(rules_file(), format="turtle")
    out = {}
    for node in set(graph.subjects(GPAI.ruleFile, None)) | set(graph.subjects(GPAI.template, None)):
        out[str(node)] = RuleNode(str(graph.value(node, RDFS.label) or ""), str(graph.value(node, GPAI.reading) or ""))
    return out


def _provision(store, iri: str) -> tuple[str, list[tuple[str, str]]]:
    """A provision's citation and each of its texts with where it stands: the
    OJ text, or the text as an amending act left it (a consolidation, in force
    from its date)."""
    acts = {v["expression"]: v for v in act_versions(store)}
    texts = []
    for version in versions(store, iri):
        made = acts.get(version.expression, {}).get("act")
        where = (ACT if not made else f"as amended by {citation_of(store, made)}, consolidated text, a "
                 f"documentation version; in force from {version.start.isoformat()}")
        if version.end:
            where += f", until {version.end.isoformat()}"
        texts.append((where, version.text))
    return citation_of(store, iri), texts


def _guidance(store, rule: Rule) -> list[str]:
    out = []
    for doc, locator in rule.guidance:
        rows = select(store, "SELECT ?d ?l WHERE { ?d rdfs:label ?l }", d=doc)
        name = rows[0]["l"] if rows else doc
        out.append(f"{name}{', ' + locator if locator else ''} (guidance)")
    return out


def _concludes(rule: Rule) -> str:
    if not rule.concludes:
        return "the superclasses of the model's classes (CONSTRUCT)"
    what = compact(rule.concludes) or rule.concludes
    if rule.open_question:
        return f"{what}: {compact(rule.open_question) or rule.open_question} stays open, naming the missing facts"
    value = compact(rule.concluded_value) if rule.concluded_value else ""
    on = f" (on {compact(rule.concludes_on)})" if rule.concludes_on else ""
    return f"{what}{' ' + value if value else ''}{on}"


def _wrap(text: str, first: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def _provision_lines(store, rule: Rule) -> list[str]:
    lines = []
    for iri in rule.implements:
        cite, texts = _provision(store, iri)
        for where, text in texts:
            lines += ["#", f"# {cite} ({where}), verbatim:"]
            lines += _wrap(text, "#   ", "#   ")
    return lines


def rule_header(rule: Rule, node: RuleNode, store) -> str:
    """The comment block that heads a rule's own file."""
    cited = ", ".join(_provision(store, iri)[0] for iri in rule.implements) or "— (no provision of its own)"
    lines = [f"# rule: {rule.name}" + (f" — {node.label}" if node.label else ""),
             f"# implements: {cited}",
             f"# concludes: {_concludes(rule)}; stratum {rule.stratum}, order {rule.order}"]
    lines += [f"# guidance: {g}" for g in _guidance(store, rule)]
    if node.reading:
        lines += _wrap(node.reading, "# reading: ", "#          ")
    lines += _provision_lines(store, rule)
    lines += ["#", f"# {GENERATED}"]
    return "\n".join(lines) + "\n"


def template_header(template: str, users: list[Rule], nodes: dict[str, RuleNode], store) -> str:
    """The comment block that heads a template: the rules that run it, each
    with the text of its provisions."""
    lines = [f"# template: {template.rsplit('/', 1)[-1]}",
             f"# concludes: {_concludes(users[0])}",
             "# the rules that run this query (?rule bound to each; the law data they read is what differs):"]
    for rule in users:
        cited = ", ".join(_provision(store, iri)[0] for iri in rule.implements)
        lines.append(f"# implements: {cited} — rule {rule.name}, stratum {rule.stratum}, order {rule.order}")
    for rule in users:
        lines += ["#", f"# --- {rule.name}"]
        if nodes.get(rule.iri) and nodes[rule.iri].reading:
            lines += _wrap(nodes[rule.iri].reading, "# reading: ", "#          ")
        lines += _provision_lines(store, rule)
    lines += ["#", f"# {GENERATED}"]
    return "\n".join(lines) + "\n"


def _body(text: str) -> str:
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines).strip("\n") + "\n"


def rule_files() -> dict[Path, str]:
    """Every rule and template file with its header regenerated."""
    store = load_store()
    nodes = _nodes()
    out: dict[Path, str] = {}
    by_template: dict[str, list[Rule]] = {}
    for rule in rules():
        if rule.template:
            by_template.setdefault(rule.template, []).append(rule)
            continue
        out[paths.ROOT / rule.file] = rule_header(rule, nodes.get(rule.iri, RuleNode("", "")), store) + _body(rule.query)
    for template, users in by_template.items():
        path = paths.ROOT / users[0].file
        out[path] = template_header(template, users, nodes, store) + _body(users[0].query)
    return out


def markdown() -> str:
    """``docs/rules.md``: the rules in the order they run, each with its
    provisions' text, its reading and its query."""
    store = load_store()
    nodes = _nodes()
    parts = ["# The rules of gpai-kg, beside the law they implement", "",
             "Every rule of the reasoner in the order it runs (stratum, then order), with the verbatim text "
             f"of the provisions it implements ({ACT}), how it reads them, and its query. "
             f"{GENERATED.replace('this header', 'this page')} Not legal advice.", ""]
    for rule in rules():
        node = nodes.get(rule.iri, RuleNode("", ""))
        parts += [f"## {rule.name}" + (f" — {node.label}" if node.label else ""), ""]
        cited = ", ".join(_provision(store, iri)[0] for iri in rule.implements) or "—"
        where = f"template `{rule.template.rsplit('/', 1)[-1]}`, " if rule.template else ""
        parts += [f"- implements: {cited}", f"- concludes: {_concludes(rule)}",
                  f"- runs: stratum {rule.stratum}, order {rule.order}"
                  + (" (after every stratum)" if rule.after_each_stratum else ""),
                  f"- query: {where}[`{rule.file}`](../{rule.file})"]
        parts += [f"- guidance: {g}" for g in _guidance(store, rule)]
        if rule.requires:
            parts.append("- skipped unless the model has: " + ", ".join(compact(r) or r for r in rule.requires))
        parts.append("")
        for iri in rule.implements:
            cite, texts = _provision(store, iri)
            for where, text in texts:
                parts += [f"> **{cite}**" + (f" ({where})" if where != ACT else "") + f" — {text}", ""]
        if node.reading:
            parts += [f"Reading: {node.reading}", ""]
        parts += ["```sparql", _body(rule.query).rstrip("\n"), "```", ""]
    return "\n".join(parts)


def generated() -> dict[Path, str]:
    """Every file the rulebook writes, with its content: the rule files'
    headers, docs/rules.md, and docs/input-contract.md (the contract's table)."""
    from gpai_kg.publish import contract_doc

    return {**rule_files(), paths.ROOT / "docs" / "rules.md": markdown(),
            paths.ROOT / "docs" / "input-contract.md": contract_doc.markdown()}


def write() -> list[Path]:
    """Regenerate the rulebook; the files that changed."""
    changed = []
    for path, text in generated().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode("utf-8"))
            changed.append(path)
    return changed
