"""The compiled rules' patterns: the algebra's BGP, Join, LeftJoin, Union,
Filter, Extend, Project, Distinct, VALUES and COUNT subqueries to closures
``(index, solutions) -> solutions``, a rule evaluated once over every model
of a chunk (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import Literal as RdflibLiteral
from rdflib import URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

from gpai_kg.reasoning.compiled.conditions import condition
from gpai_kg.reasoning.compiled.expressions import Expressions
from gpai_kg.reasoning.compiled.joins import SAMPLE, LoopNest
from gpai_kg.reasoning.compiled.algebra import Node
from gpai_kg.reasoning.compiled.terms import EMPTY, EvalError, Index, Op, Solutions, Term, literal_of, term_of_rdflib


class Compiler(Expressions):
    """One rule's query to closures: its patterns (``pattern``) and expressions."""

    def __init__(self, name: str):
        super().__init__(name)
        self._tags: list[str] = []  # of the OPTIONALs being compiled around a pattern: a projection keeps them

    def pattern(self, node) -> Op:
        node = _unwrapped(node)
        handler = getattr(self, "_p_" + node.name, None)
        if handler is None:
            raise self.unsupported(f"the pattern {node.name}")
        return handler(node)

    def _p_BGP(self, node):
        """A basic graph pattern: of predicates and paths, a loop nest (``joins``);
        with a variable predicate, its triples joined in the order of the fewest
        solutions, chosen as it runs: with the bindings of a few of the
        solutions (``SAMPLE``, spread over them), the pattern whose lookups
        return the fewest terms goes next (a model's own nodes are few; a law
        node's subjects may be every model's)."""
        patterns = [_Pattern(t, self) for t in node.triples]
        if patterns and all(pattern.pn is None for pattern in patterns):
            return LoopNest(patterns)
        if len(patterns) == 1:
            return patterns[0].run

        def bgp(index, solutions):
            remaining = patterns
            while len(remaining) > 1 and solutions:
                sample = solutions[::len(solutions) // SAMPLE + 1]
                best = min(remaining, key=lambda pattern: sum(pattern.cost(index, b) for b in sample))
                remaining = [pattern for pattern in remaining if pattern is not best]
                solutions = best.run(index, solutions)
            return remaining[0].run(index, solutions) if remaining and solutions else solutions
        return bgp

    def _p_Join(self, node, left: Op | None = None):
        left = left or self.pattern(node.p1)
        right = self.pattern(node.p2)
        return lambda index, sols: right(index, left(index, sols))

    def _p_LeftJoin(self, node, left: Op | None = None):
        """OPTIONAL, its pattern run once over every solution it extends: of a
        BGP, its loop nest gives what it makes of each (``LoopNest.grouped``);
        another pattern is given each tagged with its position (a name of its
        own: an OPTIONAL may be inside another, or in an EXISTS); a solution it
        finds nothing for kept as it is (``left``: the pattern it extends, compiled)."""
        tag = f" optional {len(self._tags)}"
        left = left or self.pattern(node.p1)
        self._tags.append(tag)
        right = self.pattern(node.p2)
        self._tags.remove(tag)
        keep = None if _is_true(node.expr) else self.test(node.expr)
        if isinstance(right, LoopNest):  # a BGP: what it makes of each solution, with no tag
            def grouped_left_join(index, sols):
                sols = left(index, sols)
                out = []
                for b, extended in zip(sols, right.grouped(index, sols)):
                    if keep is not None:
                        extended = [x for x in extended if keep(index, x)]
                    if extended:
                        out += extended
                    else:
                        out.append(b)
                return out
            return grouped_left_join

        def left_join(index, sols):
            sols = left(index, sols)
            if not sols:
                return sols
            found = right(index, [{**b, tag: i} for i, b in enumerate(sols)])
            by_row: dict[int, list] = {}
            for x in found:
                if keep is None or keep(index, x):
                    x = dict(x)  # a pattern may give one solution twice (UNION): each its own copy
                    by_row.setdefault(x.pop(tag), []).append(x)
            out = []
            for i, b in enumerate(sols):
                extended = by_row.get(i)
                if extended is None:
                    out.append(b)
                else:
                    out += extended
            return out
        return left_join

    def _p_Union(self, node):
        left, right = self.pattern(node.p1), self.pattern(node.p2)
        return lambda index, sols: left(index, sols) + right(index, sols)

    def _p_Filter(self, node):
        """FILTER (A && B ...) keeps a solution where each conjunct is true (an
        error is not), so each conjunct filters in turn; an EXISTS or NOT
        EXISTS conjunct over every solution at once (``_exists_rows``). Each
        conjunct filters as early as it gives the same solutions (``_filtered``)."""
        return self._filtered(node.p, _conjuncts(node.expr))

    def _filtered(self, node, conjuncts: list) -> Op:
        """The pattern, filtered by the conjuncts, each as deep as it can go:
        under BINDs (rdflib puts a group's filters above them) if it names none
        of their variables, since a bind removes no solution and the conjunct
        does not read it; into the left of a join or an OPTIONAL if it names none
        of the right's variables, since the right then binds none it reads and
        what the left removes has no extension. The same solutions, with less
        made and then thrown away."""
        node = _unwrapped(node)
        if not conjuncts:
            return self.pattern(node)
        if node.name == "Extend":
            bound, innermost = set(), node
            while innermost.name == "Extend":
                bound.add(str(innermost.var))
                innermost = _unwrapped(innermost.p)
            below, above = _apart(conjuncts, bound)
            if below:
                return self._filter(self._extend(node, below), above)
        elif node.name in ("Join", "LeftJoin"):
            below, above = _apart(conjuncts, _variables(node.p2))
            if below:
                join = self._p_Join if node.name == "Join" else self._p_LeftJoin
                return self._filter(join(node, self._filtered(node.p1, below)), above)
        elif node.name == "BGP":
            return self._nest(node, conjuncts)
        return self._filter(self.pattern(node), conjuncts)

    def _nest(self, node, conjuncts: list, binds: list[tuple[str, object]] = ()) -> Op:
        """A BGP filtered by the conjuncts and extended by constant BINDs: of predicates and paths, the conditions
        ``conditions`` writes and the constants tested and written in its loop nest (``joins``), the other
        conjuncts filtering what it gives."""
        patterns = [_Pattern(t, self) for t in node.triples]
        if not patterns or any(pattern.pn is not None for pattern in patterns):
            return self._bound(self._filter(self.pattern(node), conjuncts), binds)
        bound_by_triples = {n for pattern in patterns for n in (pattern.sn, pattern.on) if n is not None}
        written, kept, conditions = [], [], []
        for conjunct in conjuncts:
            found = condition(conjunct, bound_by_triples, self._one_triple)
            if found is None:
                kept.append(conjunct)
            else:
                written.append(conjunct)
                conditions.append(found)
        if not conditions and not binds:
            return self._filter(self.pattern(node), conjuncts)
        rest = self._bound(self._filter(lambda index, sols: sols, written), binds)
        return self._filter(LoopNest(patterns, conditions, binds, rest), kept)

    @staticmethod
    def _bound(inner: Op, binds: list[tuple[str, object]]) -> Op:
        """The pattern, each solution extended by the constants (variable, term)."""
        if not binds:
            return inner
        constants = dict(binds)
        return lambda index, sols: [{**b, **constants} for b in inner(index, sols)]

    def _filter(self, inner: Op, conjuncts: list) -> Op:
        if not conjuncts:
            return inner
        filters = []  # each: of a list of solutions, those it keeps
        for conjunct in conjuncts:
            if isinstance(conjunct, Node) and conjunct.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                wanted, triple = conjunct.name == "Builtin_EXISTS", self._one_triple(conjunct)
                filters.append(_each(triple.matcher(wanted)) if triple else _kept(self._exists_rows(conjunct), wanted))
            else:
                filters.append(_once_per_binding(self.test(conjunct), sorted(_variables(conjunct))))

        def filter_(index, sols):
            sols = inner(index, sols)
            for kept in filters:
                if not sols:
                    break
                sols = kept(index, sols)
            return sols
        return filter_

    def _one_triple(self, e) -> _Pattern | None:
        """The pattern of an EXISTS if it is one triple (tested solution by solution: ``_Pattern.matcher``)."""
        exists = _unwrapped(e.graph)  # rdflib translates an EXISTS's pattern when it parses
        return _Pattern(exists.triples[0], self) if exists.name == "BGP" and len(exists.triples) == 1 else None

    def _exists_rows(self, e) -> Callable[[Index, Solutions], set[int]]:
        """EXISTS of a pattern of several triples over a list of solutions: the
        positions of those for which the pattern, their bindings substituted,
        has a solution. What it finds depends on the bindings of the variables
        it names only, so it runs once for each distinct binding of those (each
        tagged with its position, which the pattern carries through): a
        condition's facts, say, once per model and condition, not once per
        model, condition and fact."""
        exists = _unwrapped(e.graph)
        op, names = self.pattern(exists), sorted(_variables(exists))

        def rows(index, sols):  # the pattern once per distinct binding of the variables it names
            keys = [tuple(map(b.get, names)) for b in sols]
            distinct = list(dict.fromkeys(keys))
            seeds = [{name: x for name, x in zip(names, key) if x is not None} for key in distinct]
            for i, seed in enumerate(seeds):
                seed[_ROW] = i
            found = {distinct[b[_ROW]] for b in op(index, seeds)}
            return {i for i, key in enumerate(keys) if key in found}
        return rows

    def _p_Extend(self, node):
        return self._extend(node)

    def _extend(self, node, below: list = ()) -> Op:
        """BIND, a run of them at once: each variable in turn (an error leaves
        it unbound), a later expression reading an earlier one's (``below``:
        conjuncts of FILTERs over the run that read none of its variables, to
        filter the pattern under it). A constant that no BIND before it reads
        is bound with the pattern under the run, if that is a BGP (``_nest``).
        What the rest binds depends on the bindings of the variables its
        expressions name alone (no function of
        the rules' is random or reads the clock), so a call evaluates the run
        once for each distinct binding of those, and each solution is extended
        by what it bound: a date's comparison and the words of a bound once per
        chunk, not once per model."""
        run = []
        while node.name == "Extend":
            run.append((str(node.var), node.expr))
            node = _unwrapped(node.p)
        run.reverse()
        constants: list[tuple[str, object]] = []
        if node.name == "BGP":
            read_before = _variables(node)  # a BIND of one of those, or read before the BIND, stays here
            for name, expr in run:
                if isinstance(expr, URIRef | RdflibLiteral) and name not in read_before:
                    constants.append((name, term_of_rdflib(expr)))
                read_before |= _variables(expr)
            inner = self._nest(node, list(below), constants)
        else:
            inner = self._filtered(node, list(below))
        fused = {name for name, _ in constants}
        binds = [(name, self.expression(expr)) for name, expr in run if name not in fused]
        if not binds:
            return inner
        names = tuple(sorted(set().union(*(_variables(expr) for name, expr in run if name not in fused))))

        def extend(index, sols):
            out = []
            known: dict[tuple, dict] = {}
            for b in inner(index, sols):
                key = tuple(map(b.get, names))
                bound = known.get(key)
                if bound is None:
                    c = dict(b)
                    for name, f in binds:
                        try:
                            c[name] = f(index, c)
                        except EvalError:
                            pass
                    bound = known[key] = {name: c[name] for name, _ in binds if name in c}
                out.append({**b, **bound})
            return out
        return extend

    def _p_Project(self, node):
        inner, names = self.pattern(node.p), [str(v) for v in node.PV] + [_ROW, *self._tags]
        kept = frozenset(names)  # a solution of these alone is its own projection (SELECT *: most)
        return lambda index, sols: [b if b.keys() <= kept else {k: b[k] for k in names if k in b}
                                    for b in inner(index, sols)]

    def _p_Distinct(self, node):
        inner = self.pattern(node.p)

        def distinct(index, sols):
            seen, out = set(), []
            for b in inner(index, sols):
                key = frozenset(b.items())
                if key not in seen:
                    seen.add(key)
                    out.append(b)
            return out
        return distinct

    def _p_ToMultiSet(self, node):
        """A subquery, or VALUES: evaluated on its own, then joined."""
        inner = node.p
        if inner.name == "values":
            rows = [{str(k): term_of_rdflib(v) for k, v in row.items() if v is not None and type(v) is not str}
                    for row in inner.res]  # rdflib gives UNDEF as the str "UNDEF"
            return lambda index, sols: _join(sols, rows)
        op = self.pattern(inner)
        return lambda index, sols: _join(sols, op(index, [{}]))

    def _p_AggregateJoin(self, node):
        group = node.p
        if group.name != "Group" or group.expr:
            raise self.unsupported("GROUP BY")
        inner = self.pattern(group.p)
        aggregates = []
        for aggregate in node.A:
            if aggregate.name != "Aggregate_Count" or aggregate.vars == "*":
                raise self.unsupported(f"the aggregate {aggregate.name}")
            aggregates.append((str(aggregate.res), str(aggregate.vars), bool(aggregate.distinct)))

        def aggregate_join(index, sols):
            rows = inner(index, [{}])
            counted = {}
            for res, var, distinct in aggregates:
                values = [b[var] for b in rows if var in b]
                counted[res] = literal_of(len(set(values)) if distinct else len(values))
            return [counted]
        return aggregate_join


class _Pattern:
    """One triple pattern of a BGP: a predicate, a property path or a variable
    predicate between two ends, each a constant or a variable, looked up by
    whichever end a solution binds."""

    __slots__ = ("sn", "pn", "on", "sc", "p", "oc", "forward", "backward")

    def __init__(self, triple, compiler: Compiler):
        s, p, o = triple
        self.sn = str(s) if isinstance(s, Variable) else None
        self.on = str(o) if isinstance(o, Variable) else None
        self.sc = None if self.sn else term_of_rdflib(s)
        self.oc = None if self.on else term_of_rdflib(o)
        self.pn = str(p) if isinstance(p, Variable) else None
        self.p = str(p) if isinstance(p, URIRef) else None
        self.forward = self.backward = None
        if self.pn is None and self.p is None:
            self.forward, self.backward = _path(p, compiler)

    def cost(self, index: Index, b: dict) -> int:
        """About how many terms the lookup for solution ``b`` returns."""
        s = self.sc if self.sn is None else b.get(self.sn)
        o = self.oc if self.on is None else b.get(self.on)
        if s is not None and o is not None:
            return 0
        if self.pn is not None:  # a variable predicate: by the subject, else last
            return sum(map(len, index.spo.get(s, EMPTY).values())) if s is not None else 10**9
        if self.p is None:  # a property path
            return len(self.forward(index, s)) if s is not None else \
                len(self.backward(index, o)) if o is not None else 10**9
        if s is not None:
            return len(index.objects(s, self.p))
        if o is not None:
            return len(index.subjects(self.p, o))
        return 10**6 + len(index.pos.get(self.p, EMPTY))

    def run(self, index: Index, sols: Solutions) -> Solutions:
        sn, on, p = self.sn, self.on, self.p
        if p is None:
            return self._run_other(index, sols)
        by_subject = index.spo.get
        objects_of = index.pos.get(p, EMPTY)
        sc, oc = self.sc, self.oc
        out: Solutions = []
        add, extend = out.append, out.extend
        for b in sols:  # an end may be bound in some solutions only (by an OPTIONAL)
            s = sc if sn is None else b.get(sn)
            o = oc if on is None else b.get(on)
            if s is not None:
                objects = by_subject(s, EMPTY).get(p, ())
                if o is not None:
                    if o in objects:
                        add(b)
                else:
                    extend([{**b, on: x} for x in objects])
            elif o is not None:
                extend([{**b, sn: x} for x in objects_of.get(o, ())])
            else:
                extend([{**b, sn: x, on: y} for y, subjects in objects_of.items() for x in subjects
                        if sn != on or x == y])
        return out

    def matcher(self, wanted: bool) -> Callable[[Index, dict], bool]:
        """A FILTER EXISTS (``wanted`` True) or NOT EXISTS of this one triple, as a test of a
        solution: of a predicate with its subject a variable, one lookup when the solution binds it."""
        sn, on, p, oc, matches = self.sn, self.on, self.p, self.oc, self.matches
        if p is None or sn is None:  # a path or a variable predicate; a constant subject
            return matches if wanted else (lambda index, b: not matches(index, b))

        def test(index, b):
            s = b.get(sn)
            if s is None:
                return matches(index, b) is wanted
            objects = index.spo.get(s, EMPTY).get(p, ())
            o = oc if on is None else b.get(on)
            return (o in objects if o is not None else bool(objects)) is wanted
        return test

    def matches(self, index: Index, b: dict) -> bool:
        """Whether the pattern has a solution extending ``b`` (an EXISTS of one triple)."""
        s = self.sc if self.sn is None else b.get(self.sn)
        o = self.oc if self.on is None else b.get(self.on)
        p = self.p if self.pn is None else b.get(self.pn)
        if p is None or (self.p is None and self.pn is None):  # a path, or an unbound predicate
            return bool(self.run(index, [b]))
        if s is not None:
            objects = index.spo.get(s, EMPTY).get(p, ())
            return o in objects if o is not None else bool(objects)
        if o is not None:
            return bool(index.pos.get(p, EMPTY).get(o))
        return bool(index.pos.get(p))

    def _run_other(self, index: Index, sols: Solutions) -> Solutions:
        sn, on, pn = self.sn, self.on, self.pn
        out: Solutions = []
        for b in sols:
            s = self.sc if sn is None else b.get(sn)
            o = self.oc if on is None else b.get(on)
            if pn is not None:  # ?s ?p ?o: the subject's triples (every subject's, if it is unbound)
                bound = b.get(pn)
                for x in [s] if s is not None else list(index.spo):
                    props = index.spo.get(x, EMPTY)
                    for prop, objects in ((bound, props.get(bound, ())),) if bound is not None else props.items():
                        if o is not None and o not in objects:
                            continue
                        found = {**b, pn: prop} if s is not None else {**b, sn: x, pn: prop}
                        if o is not None:
                            out.append(found)
                        else:
                            out += [{**found, on: y} for y in objects]
            elif s is not None:
                ends = self.forward(index, s)
                if o is not None:
                    if o in ends:
                        out.append(b)
                else:
                    out += [{**b, on: y} for y in ends]
            elif o is not None:
                out += [{**b, sn: x} for x in self.backward(index, o)]
            else:
                out += [{**b, sn: x, on: y} for x, y in self.pairs(index)]
        return out

    def pairs(self, index: Index) -> list[tuple]:
        """A property path's (subject, object) pairs, from every term of the graph (a path of length zero
        joins a term to itself); of ``?x path ?x``, those of one term."""
        terms = set(index.spo).union(*(objects.keys() for objects in index.pos.values()))
        return [(x, y) for x in terms for y in self.forward(index, x) if self.sn != self.on or x == y]


def _unwrapped(node):
    """The pattern without the empty BGP rdflib joins to a group (``Join(BGP(), X)`` is ``X``)."""
    while node.name == "Join" and any(side.name == "BGP" and not side.triples for side in (node.p1, node.p2)):
        node = node.p2 if node.p1.name == "BGP" and not node.p1.triples else node.p1
    return node


def _variables(node) -> set[str]:
    """Every variable named anywhere in a node of the algebra (its patterns and expressions)."""
    if isinstance(node, Variable):
        return {str(node)}
    if isinstance(node, Node):
        values = [*node.values(), *(v for k, v in vars(node).items() if k not in ("name", "ctx"))]
    elif isinstance(node, dict):
        values = [*node.keys(), *node.values()]
    elif isinstance(node, list | tuple):
        values = node
    else:
        return set()
    return set().union(*map(_variables, values))


def _each(test: Callable[[Index, dict], bool]) -> Op:
    """A test of a solution as a filter of a list of them."""
    return lambda index, sols: [b for b in sols if test(index, b)]


def _kept(rows: Callable[[Index, Solutions], set[int]], wanted: bool) -> Op:
    """An EXISTS (``wanted`` True) or NOT EXISTS of the positions ``rows`` finds, as a filter."""
    def kept(index, sols):
        found = rows(index, sols)
        return [b for i, b in enumerate(sols) if (i in found) == wanted]
    return kept


def _once_per_binding(test: Callable[[Index, dict], bool], reads: list[str]) -> Op:
    """A FILTER's test over a list of solutions, evaluated once for each distinct binding of the
    variables it names (``isIRI(?super) && ?super != ?class`` once per pair of classes, not once
    per model and pair): a test's value depends on those alone, as a BIND's does (``_extend``)."""
    if not reads:
        return lambda index, sols: sols if test(index, {}) else []

    def filter_(index, sols):
        known: dict = {}
        kept = []
        for b in sols:
            key = tuple(map(b.get, reads))
            found = known.get(key)
            if found is None:
                found = known[key] = test(index, b)
            if found:
                kept.append(b)
        return kept
    return filter_


def _apart(conjuncts: list, names: set[str]) -> tuple[list, list]:
    """The conjuncts naming none of these variables, and the others."""
    below, above = [], []
    for conjunct in conjuncts:
        (above if _variables(conjunct) & names else below).append(conjunct)
    return below, above


def _join(sols: Solutions, rows: Solutions) -> Solutions:
    out = []
    for b in sols:
        for row in rows:
            if all(b.get(k, v) == v for k, v in row.items()):
                out.append({**b, **row})
    return out


_ROW = " row"  # a variable no query can name: a solution's position, through an EXISTS


def _conjuncts(expr) -> list:
    if isinstance(expr, Node) and expr.name == "ConditionalAndExpression":
        return [part for x in [expr.expr, *expr.other] for part in _conjuncts(x)]
    return [expr]


def _is_true(expr) -> bool:
    return expr is None or (isinstance(expr, Node) and expr.name == "TrueFilter")


Step = Callable[[Index, Term], Iterable[Term]]


def _path(path, compiler: Compiler) -> tuple[Step, Step]:
    """A property path as (from a subject to its objects, from an object to its subjects)."""
    if isinstance(path, URIRef):
        p = str(path)
        return (lambda index, x: index.objects(x, p)), (lambda index, x: index.subjects(p, x))
    if isinstance(path, InvPath):
        forward, backward = _path(path.arg, compiler)
        return backward, forward
    if isinstance(path, SequencePath):  # a join: one end once per way to it
        parts = [_path(arg, compiler) for arg in path.args]

        def chain(steps):
            def walk(index, x):
                nodes = [x]
                for step in steps:
                    nodes = [y for n in nodes for y in step(index, n)]
                return nodes
            return walk
        return chain([f for f, _ in parts]), chain([b for _, b in reversed(parts)])
    if isinstance(path, AlternativePath):  # a union: an end once per alternative to it
        parts = [_path(arg, compiler) for arg in path.args]
        return ((lambda index, x: [y for f, _ in parts for y in f(index, x)]),
                (lambda index, x: [y for _, b in parts for y in b(index, x)]))
    if isinstance(path, MulPath):
        forward, backward = _path(path.path, compiler)
        zero, more = path.mod in ("?", "*"), path.mod in ("+", "*")

        def closure(step):
            def walk(index, x):
                found = {x} if zero else set()
                frontier = {x}
                while frontier:
                    frontier = {y for n in frontier for y in step(index, n)} - found
                    found |= frontier
                    if not more:
                        break
                return found
            return walk
        return closure(forward), closure(backward)
    raise compiler.unsupported(f"the path {path!r}")


