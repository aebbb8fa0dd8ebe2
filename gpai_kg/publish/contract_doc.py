"""``docs/input-contract.md``: the table of the input contract, generated from
its one definition, the property shapes of ``ontology/shapes-model.ttl``
(``gpai_kg.reasoning.contract``). ``gpai-kg rules --write`` regenerates it."""

from __future__ import annotations

from gpai_kg.reasoning.contract import ABSENT, groups

HEAD = """# The input contract: describing a model

What `gpai-kg assess` (a `.json`, `.yaml` or `.ttl` file, or a mapping in Python), `gpai-kg screen` (one row per
model, columns named by these keys) and the app's form accept. Generated from `ontology/shapes-model.ttl`, where
the contract is defined once (`gpai-kg rules --write`); do not edit this page. Nested keys are written dotted
here (`open_source.weights_public`) and as objects in JSON and YAML (`"open_source": {"weights_public": true}`).

A key that is **absent** takes its default; a key given as `null` is **unknown**: the answers that need it say
"undetermined" and name it. Unknown is never read as zero or false.
"""


def _default(value) -> str:
    if value is ABSENT:
        return "unknown"
    return "true" if value is True else "false" if value is False else str(value)


def markdown() -> str:
    parts = [HEAD]
    for title, specs in groups():
        parts += [f"## {title}", "", "| key | kind | when absent | what it means |", "|---|---|---|---|"]
        for spec in specs:
            what = spec.description.replace("|", "\\|")
            if spec.allowed:
                what += " One of: " + ", ".join(f"`{v}`" for v in spec.allowed) + "."
            parts.append(f"| `{spec.key}` | {spec.kind} | {_default(spec.default)} | {what} |")
        parts.append("")
    return "\n".join(parts)
