"""Two assessments side by side: what differs, and what makes the difference.

``compare(left, right)`` takes two sides, each the JSON of an assessment
(``Assessment.to_json()``) with the model's facts (``publish.filing.facts``):
two models on one date, one model on two dates, or two models on two dates.
It returns, as plain data (the app shows it from its cache, ``gpai-kg compare
--format json`` prints it):

- ``facts``: the input facts whose values differ, and the dates;
- ``answers``: each of the three answers that differs, with the steps of its
  chain found on one side only — the facts and provisions that make the
  difference;
- ``obligations``: those owed on one side only, and those owed on both whose
  date or status differs, each with the steps of its chain found on one side
  only;
- ``exemptions``: those granted on one side only;
- ``law``: the version of the Act each side answers from, when they differ.

Not legal advice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

ANSWERS = ("general_purpose", "systemic_risk", "in_scope")
#: A tested fact in a chain: ``training_compute_flop = 3.8e+25 > 1e+25 FLOP`` (key, value, comparator, bound).
_TEST = re.compile(r"^(?P<key>\S+) = (?P<value>.+?) (?P<op>>=|<=|>|<|=|!=|not in|in) (?P<bound>.+)$")
_MEMBER = re.compile(r"^(?P<key>\S+) include (?P<value>.+)$")  # modalities include text


def _test(step: str) -> tuple | None:
    step = step.removesuffix(" (assumed)")
    found, member = _TEST.match(step), _MEMBER.match(step)
    if member:  # a modality the rule reads, present on both sides, is no difference
        return (member["key"], "include")
    return (found["key"], found["op"], found["bound"]) if found else (step,)


def _only(mine: list[str], theirs: set[str]) -> list[str]:
    """The steps of ``mine`` the other side does not share: neither the same step, nor the same test of a
    fact passed with another value (both models above 10^23 FLOP is no difference)."""
    tests = {_test(step) for step in theirs} - {None}
    return list(dict.fromkeys(step for step in mine if step not in theirs and _test(step) not in tests))


def _steps(result: Mapping) -> set[str]:
    """Every step of every chain on one side: what that side rests on."""
    steps = {s for chain in result.get("reasons", {}).values() for s in chain}
    for group in ("obligations", "exemptions"):
        for item in result.get(group, []):
            steps |= {*item.get("because", []), *item.get("due_because", [])}
    return steps


def _difference(left: list[str], right: list[str], left_all: set[str] = frozenset(),
                right_all: set[str] = frozenset()) -> dict:
    return {"left_only": _only(left, set(right) | right_all), "right_only": _only(right, set(left) | left_all)}


def _facts(left: Mapping, right: Mapping) -> list[dict]:
    known = {f["key"]: f for f in right["facts"]}
    out = []
    for f in left["facts"]:
        other = known.get(f["key"], {"value": None, "given": False})
        if f["key"] != "name" and (f["value"], f["given"]) != (other["value"], other["given"]):
            out.append({"key": f["key"], "label": f["label"], "left": f["value"], "right": other["value"],
                        "left_given": f["given"], "right_given": other["given"]})
    return out


def _by_provision(result: Mapping, group: str) -> dict[str, Mapping]:
    return {item["provision"]: item for item in result.get(group, [])}


def _lifted(result: Mapping) -> dict[str, str]:
    return {e["provision"]: e["exempted_by"] for e in result.get("exemptions", [])}


def _timing(left: Mapping, right: Mapping, a: Mapping | None, b: Mapping | None) -> str:
    """Why an obligation owed on both sides differs in time: its date, or a date it is not yet due on."""
    if not (a and b):
        return ""
    if a["due"] != b["due"]:
        return f"applies from {a['due'] or '—'} on the left, from {b['due'] or '—'} on the right"
    side, result = ("left", left) if a["status"] != "applicable" else ("right", right)
    return f"on the {side}, as of {result['as_of']}: {(a if side == 'left' else b)['status']} (applies from {a['due']})"


def _obligations(left: Mapping, right: Mapping) -> list[dict]:
    mine, theirs = _by_provision(left, "obligations"), _by_provision(right, "obligations")
    lifted = {"left": _lifted(left), "right": _lifted(right)}
    left_all, right_all = _steps(left), _steps(right)
    out = []
    for provision in [*mine, *(p for p in theirs if p not in mine)]:
        a, b = mine.get(provision), theirs.get(provision)
        if a and b and (a["due"], a["status"]) == (b["due"], b["status"]):
            continue
        entry = {"provision": provision, "title": (a or b)["title"],
                 "left": {"due": a["due"], "status": a["status"]} if a else None,
                 "right": {"due": b["due"], "status": b["status"]} if b else None,
                 "lifted_by": {side: lifted[side][provision] for side in lifted if provision in lifted[side]}}
        entry["note"] = _timing(left, right, a, b)
        entry.update(_difference((a or {}).get("because", []) + (a or {}).get("due_because", []),
                                 (b or {}).get("because", []) + (b or {}).get("due_because", []),
                                 left_all if a is None else frozenset(), right_all if b is None else frozenset()))
        out.append(entry)
    return out


def _exemptions(left: Mapping, right: Mapping) -> list[dict]:
    def granted(result: Mapping) -> dict[tuple[str, str], Mapping]:
        return {(e["provision"], e["exempted_by"]): e for e in result.get("exemptions", [])}

    mine, theirs = granted(left), granted(right)
    return [{"provision": p, "exempted_by": by, "left": (p, by) in mine, "right": (p, by) in theirs,
             "why": (mine.get((p, by)) or theirs[(p, by)]).get("why", "")}
            for p, by in [*mine, *(k for k in theirs if k not in mine)] if ((p, by) in mine) != ((p, by) in theirs)]


def compare(left: Mapping, right: Mapping) -> dict:
    """The differences between two sides (``{"result": <assessment JSON>, "facts": [...]}`` each)."""
    a, b = left["result"], right["result"]
    answers = []
    for key in ANSWERS:
        if a[key] != b[key]:
            answers.append({"answer": key, "left": a[key], "right": b[key],
                            "left_summary": a.get("summary", {}).get(key, ""),
                            "right_summary": b.get("summary", {}).get(key, ""),
                            **_difference(a.get("reasons", {}).get(key, []), b.get("reasons", {}).get(key, []),
                                          _steps(a), _steps(b))})
    law = None
    if a.get("version") != b.get("version"):
        law = {"left": a.get("version"), "right": b.get("version")}
    return {"left": {"name": a["name"], "as_of": a["as_of"]}, "right": {"name": b["name"], "as_of": b["as_of"]},
            "facts": _facts(left, right), "answers": answers, "obligations": _obligations(a, b),
            "exemptions": _exemptions(a, b), "law": law,
            "same": not (answers or _obligations(a, b) or _exemptions(a, b))}
