"""A basic graph pattern of predicates and property paths as one Python loop nest.

Its triples are joined in the order of the fewest solutions, chosen on a
few of the solutions it extends (``SAMPLE``, spread over them): with their
bindings, the triple whose lookups return the fewest terms goes next, and so
on, run on those few alone; an order is kept for ``REORDER`` calls (chunks
of one registry are alike), then chosen again. The order changes how fast,
never what is found. For that order, and the variables those few
bind, the join is written as Python (one ``for`` per lookup, a variable a
local name) and compiled once; a solution makes one new dict, at the end,
instead of one per triple. The conditions of the FILTERs over the BGP that
``conditions`` writes as Python (a one-triple EXISTS, a comparison of its
variables) are tested in the nest as soon as it has bound what they read,
and the constants its BINDs give written into that dict: a combination a
condition rejects is never made, nor are those under it. A solution that
binds some variable otherwise than those few (an OPTIONAL bound it) is joined
triple by triple (``_Pattern.run``), then filtered and extended by the
closures of those conditions and BINDs (``rest``). The source is made of
this module's own text: the query's variables are dict keys written with
``repr``, its terms constants passed by name, never spliced into code."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gpai_kg.reasoning.compiled.conditions import Condition
from gpai_kg.reasoning.compiled.terms import EMPTY, EvalError, Index, Op, Solutions

SAMPLE = 5  # solutions whose lookups choose the order of a BGP's triples
REORDER = 8  # calls of a BGP, for solutions binding the same variables, that keep the order chosen


class LoopNest:
    """A BGP of triples whose predicate is an IRI or a property path (``patterns``' ``_Pattern``s), with
    the ``conditions`` of its FILTERs and the constants of its BINDs (``binds``: variable, term) written into
    its loop nest; ``rest``: those conditions and BINDs as closures, for the solutions joined triple by triple."""

    def __init__(self, patterns: Sequence, conditions: Sequence[Condition] = (),
                 binds: Sequence[tuple[str, object]] = (), rest: Op | None = None):
        self.patterns = list(patterns)
        self.conditions, self.binds, self.rest = list(conditions), list(binds), rest
        self.names = sorted({n for p in self.patterns for n in (p.sn, p.on) if n is not None}
                            | {n for c in self.conditions for n in c.variables} | {n for n, _ in self.binds})
        self.compiled: dict[tuple, Callable] = {}
        self.orders: dict[tuple, tuple[tuple[int, ...], int]] = {}  # by the variables bound: the order, its uses

    def __call__(self, index: Index, solutions: Solutions) -> Solutions:
        if not solutions:
            return []
        order, join = self._join(index, solutions, False)
        out, others = join(index, solutions)
        if others:
            out += self._one_by_one(index, others, order)
        return out

    def grouped(self, index: Index, solutions: Solutions) -> list[Solutions]:
        """The solutions of the BGP extending each solution, a list for each, in their order (an OPTIONAL's:
        ``patterns``' ``_p_LeftJoin``)."""
        if not solutions:
            return []
        order, join = self._join(index, solutions, True)
        groups, others = join(index, solutions)
        for i in others:
            groups[i] = self._one_by_one(index, groups[i], order)
        return groups

    def _join(self, index: Index, solutions: Solutions, grouped: bool) -> tuple[tuple[int, ...], Callable]:
        """The order of the triples for these solutions, and the loop nest of that order."""
        sample = solutions[::len(solutions) // SAMPLE + 1]
        bound = tuple(name for name in self.names if name in sample[0])
        order, uses = self.orders.get(bound, ((), REORDER))
        if uses >= REORDER:  # chosen again now and then: the next chunk's data may differ
            order, uses = self._order(index, sample), 0
        self.orders[bound] = order, uses + 1
        key = (order, bound, grouped)
        join = self.compiled.get(key)
        if join is None:
            join = self.compiled[key] = _compile([self.patterns[i] for i in order], bound, self.names,
                                                 self.conditions, self.binds, grouped)
        return order, join

    def _one_by_one(self, index: Index, solutions: Solutions, order: tuple[int, ...]) -> Solutions:
        """The solutions the loop nest left (they bind a variable otherwise), joined triple by triple."""
        for pattern in (self.patterns[i] for i in order):
            solutions = pattern.run(index, solutions)
        return self.rest(index, solutions) if self.rest is not None else solutions

    def _order(self, index: Index, sample: Solutions) -> tuple[int, ...]:
        """The triples' order, chosen on the sample: the one of the fewest terms
        next, then on the sample's solutions of it (in their order once none is left)."""
        remaining, order = list(range(len(self.patterns))), []
        while len(remaining) > 1 and sample:
            best = min(remaining, key=lambda i: sum(self.patterns[i].cost(index, b) for b in sample))
            remaining.remove(best)
            order.append(best)
            if len(remaining) > 1:  # the last goes last: no sample to choose it on
                sample = self.patterns[best].run(index, sample)
                sample = sample[::len(sample) // SAMPLE + 1]
        return tuple(order + remaining)


def _compile(patterns: list, bound: tuple[str, ...], names: list[str], conditions: Sequence[Condition] = (),
             binds: Sequence[tuple[str, object]] = (), grouped: bool = False) -> Callable:
    """The loop nest of the triples in this order, for solutions binding ``bound`` (of the BGP's ``names``),
    each condition tested where what it reads is bound, the binds' constants in each solution it makes:
    ``join(index, solutions)`` gives (the solutions made, those it left); ``grouped``: (for each solution, a
    list of those made of it, the positions of those it left, each there as a list of itself)."""
    constants: dict[str, object] = {"EMPTY": EMPTY, "EvalError": EvalError}
    local: dict[str, str] = {}

    def constant(term) -> str:
        name = f"c{len(constants)}"
        constants[name] = term
        return name

    lines = ["def join(index, solutions):",
             "    groups, others = [], []" if grouped else "    out, others = [], []",
             "    spo = index.spo.get" if grouped else "    add, spo = out.append, index.spo.get",
             "    pos = index.pos.get"]
    left = "others.append(len(groups)); groups.append([b])" if grouped else "others.append(b)"
    for i, pattern in enumerate(patterns):
        if pattern.p is not None:
            lines.append(f"    p{i} = pos({constant(pattern.p)}, EMPTY)")
    lines.append("    for b in solutions:")
    depth = 2
    bind_names = {name for name, _ in binds}
    for name in names:  # the solution binds those the sample did, and no other (nor what a BIND binds)
        if name in bound and name not in bind_names:
            local[name] = f"v{len(local)}"
            lines += [f"        {local[name]} = b.get({name!r})",
                      f"        if {local[name]} is None:",
                      f"            {left}",
                      "            continue"]
        else:
            lines += [f"        if {name!r} in b:",
                      f"            {left}",
                      "            continue"]
    if grouped:
        lines += ["        made = []", "        add = made.append", "        groups.append(made)"]
    new: list[str] = []
    waiting = list(conditions)
    bound_by_triples = {n for p in patterns for n in (p.sn, p.on) if n is not None}

    def test_ready() -> None:
        """The conditions whose variables the nest binds are bound now, each an ``if`` around the rest."""
        nonlocal depth
        for condition in [c for c in waiting if c.variables & bound_by_triples <= local.keys()]:
            waiting.remove(condition)
            pad, test = "    " * depth, condition.source(local, constant)
            if condition.raises:  # an error is false, as in a FILTER
                lines.extend([f"{pad}try:", f"{pad}    ok = {test}", f"{pad}except EvalError:",
                              f"{pad}    ok = False", f"{pad}if ok:"])
            else:
                lines.append(f"{pad}if {test}:")
            depth += 1

    def bind(name: str) -> str:
        new.append(name)
        local[name] = f"v{len(local)}"
        return local[name]

    test_ready()
    for i, pattern in enumerate(patterns):
        pad = "    " * depth
        s = constant(pattern.sc) if pattern.sn is None else local.get(pattern.sn)
        o = constant(pattern.oc) if pattern.on is None else local.get(pattern.on)
        if pattern.p is None:  # a property path: its ends from either end
            ends, starts = constant(pattern.forward) + "(index, {})", constant(pattern.backward) + "(index, {})"
        else:
            ends, starts = f"spo({{}}, EMPTY).get({constant(pattern.p)}, ())", f"p{i}.get({{}}, ())"
        if s is not None and o is not None:
            lines.append(f"{pad}if {o} in {ends.format(s)}:")
        elif s is not None:
            lines.append(f"{pad}for {bind(pattern.on)} in {ends.format(s)}:")
        elif o is not None:
            lines.append(f"{pad}for {bind(pattern.sn)} in {starts.format(o)}:")
        elif pattern.p is None:  # a path's pairs (of ?x path ?x, those of one term)
            s = bind(pattern.sn)
            o = bind(pattern.on) if pattern.on != pattern.sn else "_"
            lines.append(f"{pad}for {s}, {o} in {constant(pattern.pairs)}(index):")
        elif pattern.sn == pattern.on:
            s = bind(pattern.sn)
            lines += [f"{pad}for {s}, subjects{i} in p{i}.items():",
                      f"{pad}    if {s} in subjects{i}:"]
            depth += 1
        else:
            o, s = bind(pattern.on), bind(pattern.sn)
            lines += [f"{pad}for {o}, subjects{i} in p{i}.items():",
                      f"{pad}    for {s} in subjects{i}:"]
            depth += 1
        depth += 1
        test_ready()
    pad = "    " * depth
    made = ", ".join([f"{name!r}: {local[name]}" for name in new] +
                     [f"{name!r}: {constant(term)}" for name, term in binds])
    lines += [f"{pad}add({{**b, {made}}})" if made else f"{pad}add(b)",
              "    return groups, others" if grouped else "    return out, others"]
    namespace = dict(constants)
    exec(compile("\n".join(lines), "<compiled BGP>", "exec"), namespace)  # noqa: S102 -- this module's text
    return namespace["join"]

