"""Numbers as people write them: ``3.35 × 10^25`` (text), ``3.35e25`` (CSV).

The reasoner's strings (the ``because`` steps of the JSON contract) keep the
numbers exact (``training_compute_flop = 1.66666666667e+25 > 1e+23 FLOP``);
what people read shows them as the Act does ("10^25 floating point
operations"), with three significant digits — more where three would make a
compared value look equal to its bound (``1.00001 × 10^25 > 10^25``, never
``1 × 10^25 > 10^25``).
"""

from __future__ import annotations

import re

#: A number in e-notation (``3.8e+25``, ``1E25``), as a power of ten (``1.66666666667 × 10^25``, ``10^25``)
#: or a run of 13 digits or more.
_NUMBER = re.compile(r"(?<![\w.^])(\d+(?:\.\d+)?[eE][+-]?\d+|(?:\d+(?:\.\d+)? × )?10\^-?\d+|\d{13,}(?:\.\d+)?)"
                     r"(?![\w.])")


def _value(written: str) -> float:
    if "^" in written:
        mantissa, _, exponent = written.partition("10^")
        return float(mantissa.rstrip(" ×") or 1) * 10.0 ** int(exponent)
    return float(written)
_DIGITS = 3


def _mantissa(number: float, digits: int) -> tuple[str, int]:
    mantissa, exponent = f"{number:.{digits - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa, int(exponent)


def power(number: float, digits: int = _DIGITS, sep: str = " × ") -> str:
    """``3.35 × 10^25`` for 3.35e25, ``10^25`` for 1e25; below 10^6 the number as written (``2500``)."""
    if number == 0 or abs(number) < 1e6:
        return f"{number:.{digits}g}" if number != int(number) else str(int(number))
    mantissa, exponent = _mantissa(number, digits)
    return f"10^{exponent}" if mantissa == "1" else f"{mantissa}{sep}10^{exponent}"


def csv_number(number: float, digits: int = 12) -> str:
    """``3.35e25`` for 3.35e25 (binary noise such as 3.3499999999999998e+25 removed), ``2500`` for 2500."""
    if abs(number) < 1e15:
        return str(int(number)) if number == int(number) else f"{number:.{digits}g}"
    mantissa, exponent = _mantissa(number, digits)
    return f"{mantissa}e{exponent}"


def readable(text: str) -> str:
    """``text`` with each long number written for people, as many digits as tell it from the others."""
    found = [m.group(1) for m in _NUMBER.finditer(text)]
    if not found:
        return text
    values = [_value(n) for n in found]

    def shown(value: float) -> str:
        for digits in range(_DIGITS, 13):
            rounded = float(f"{value:.{digits - 1}e}")
            if all(rounded != other or value == other for other in values):
                return power(value, digits)
        return power(value, 12)

    return _NUMBER.sub(lambda m: shown(_value(m.group(1))), text)


_NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + t for t in ("double", "decimal", "integer", "float", "long")}


def literal(term: dict) -> str:
    """A literal of a SPARQL JSON result as people read it: a large number as a power of ten (all its
    digits kept: ``10^25``, ``3.33333333333 × 10^24``), anything else as written."""
    if term.get("datatype") in _NUMERIC:
        try:
            number = float(term["value"])
        except ValueError:
            return term["value"]
        if abs(number) >= 1e6:
            return power(number, digits=12)
    return term["value"]
