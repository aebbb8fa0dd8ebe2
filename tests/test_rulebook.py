"""The rulebook is current: every rule file's header and docs/rules.md are
what ``gpai-kg rules --write`` makes of data/curated/rules.ttl and the graph
(so the provision text beside each rule is the graph's verbatim text)."""

from gpai_kg import paths
from gpai_kg.publish.rulebook import generated
from gpai_kg.reasoning.rules import rules
from gpai_kg.store.lookup import select


def test_rule_headers_and_docs_rules_md_are_regenerated():
    stale = [str(path.relative_to(paths.ROOT)) for path, text in generated().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"stale (run gpai-kg rules --write): {stale}"


def test_each_rule_file_shows_the_verbatim_text_of_what_it_implements(store):
    for rule in rules():
        head = (paths.ROOT / rule.file).read_text(encoding="utf-8")
        for iri in rule.implements:
            text = select(store, "SELECT ?p ?t WHERE { ?p gpai:text ?t }", p=iri)[0]["t"]
            assert " ".join(text.split()[:12]) in " ".join(head.replace("#", " ").split()), (rule.name, iri)


def test_rule_queries_hold_only_the_law():
    """No IRI minting, no PROV-O plumbing in a rule: the engine writes those."""
    for rule in rules():
        body = "\n".join(line for line in rule.query.splitlines() if not line.startswith("#"))
        for plumbing in ("IRI(CONCAT", "prov:", "InferredStatement", "gpai:Conclusion", "PREFIX"):
            assert plumbing not in body, (rule.file, plumbing)
