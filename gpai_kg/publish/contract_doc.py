"""``docs/input-contract.md``: the table of the input contract, generated from
its one definition, the property shapes of ``ontology/shapes-model.ttl``
(``gpai_kg.reasoning.contract``). ``gpai-kg rules --write`` regenerates it."""

from __future__ import annotations

from gpai_kg.files import size_text
from gpai_kg.reasoning.contract import ABSENT, groups, keys, limits

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
    parts += _limits()
    return "\n".join(parts)


def _limits() -> list[str]:
    cap = limits()
    texts = ", ".join(f"`{k}`" for k, spec in keys().items() if spec.max_length)
    lengths = sorted({spec.max_length for spec in keys().values() if spec.max_length})
    return ["## Limits", "",
            "What a description may be at most (`gpai:InputLimits` in `ontology/shapes-model.ttl`). Each is checked "
            "before any parser reads the input and refused with one line; nothing is cut short silently.", "",
            f"- a description file or upload, or a row of a registry: {size_text(cap.file_bytes)}; a registry held "
            f"whole (`gpai_kg.screen()`, an upload in the app): {size_text(cap.registry_bytes)} (`gpai-kg screen` "
            "streams a registry of any length);",
            f"- nesting: {cap.nesting} levels (brackets, braces, parentheses in JSON and Turtle; nodes in YAML);",
            f"- a number: {cap.digits} digits, and no more than the largest `xsd:double` (about 1.8e308);",
            f"- YAML: {cap.yaml_aliases} aliases (`*name`); no tags but the core ones (no `!!timestamp`: a date is "
            "written YYYY-MM-DD), `true`/`false` only as booleans (`yes`, `no`, `on` are text);",
            f"- a text ({texts}): {' or '.join(map(str, lengths))} characters.",
            "",
            "Values are read as exactly the contract's type: `\"maybe\"`, `\"2\"` and `\"TRUE\"^^xsd:boolean` are "
            "not booleans, an `xsd:dateTime` is not a date, and in JSON and YAML a key is never dotted "
            "(`open_source.weights_public` is written inside `open_source`; a registry's columns are). A UTF-8 "
            "byte-order mark is allowed in every format.", ""]
