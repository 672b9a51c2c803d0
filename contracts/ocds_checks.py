"""Checks that OCDS data is fit to read before the import reads it: nesting,
the shape of the parts it reads, and text the register can hold. Plain
Python, no Django."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from core.text import control_character

if TYPE_CHECKING:
    from contracts.ocds import OcdsContract

# OCDS releases are about eight levels deep; anything far deeper is not a
# release, and would exhaust Python's stack in the merge.
MAX_DEPTH = 64
# The containers the import reads, and what each must be: an object, or an
# array of objects (each checked against the inner shape).
_SHAPE: dict = {
    "tender": (dict, {"contractPeriod": (dict, {}), "classification": (dict, {})}),
    "buyer": (dict, {}),
    "parties": (
        list,
        {
            "identifier": (dict, {}),
            "additionalIdentifiers": (list, {}),
            "details": (dict, {}),
            "address": (dict, {}),
        },
    ),
    "awards": (
        list,
        {"suppliers": (list, {}), "value": (dict, {}), "contractPeriod": (dict, {})},
    ),
    "contracts": (list, {"period": (dict, {})}),
}
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "true or false"}
# As long as the register's columns (tests/contracts/test_import_limits.py).
MAX_LENGTHS = {"reference": 100, "ocid": 120, "cpv_code": 20, "supplier name": 255}


class OcdsError(ValueError):
    """OCDS data that cannot be read as Contracts Finder releases."""


def _json_type(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return _JSON_TYPES.get(type(value), type(value).__name__)


def check_depth(data: Any) -> None:
    """Refuse JSON nested more than MAX_DEPTH levels, naming where; without
    recursion, so the check itself cannot run out of stack."""
    stack = [(data, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise OcdsError(f"The JSON is nested more than {MAX_DEPTH} levels deep, at {path}")
        if isinstance(node, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node))


def deepest_nesting(text: str) -> tuple[int, int]:
    """Line and column where JSON text first goes MAX_DEPTH levels deep: for
    text too deep for the json module to parse at all."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        part = match.group()
        if part in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                return line, match.start() - text.rfind("\n", 0, match.start())
        elif part in "]}":
            depth -= 1
    return 0, 0


def _check(node: dict, shape: dict, where: str) -> None:
    for key, (kind, inner) in shape.items():
        value = node.get(key)
        if value is None:
            continue
        if not isinstance(value, kind):
            raise OcdsError(f"{where}: '{key}' is {_json_type(value)}, not {_JSON_TYPES[kind]}")
        if kind is dict:
            _check(value, inner, f"{where}, {key}")
            continue
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise OcdsError(
                    f"{where}: '{key}' item {index} is {_json_type(item)}, not an object"
                )
            _check(item, inner, f"{where}, {key} item {index}")


def check_shape(release: dict, where: str) -> None:
    """Every container the import reads is what OCDS says it is: "awards"
    an array of objects, "tender" an object, and so on."""
    _check(release, _SHAPE, where)


def check_text(contract: OcdsContract) -> None:
    """Refuse control characters and text longer than the register holds,
    naming the award and field."""
    texts = [
        ("ocid", contract.ocid, False),
        ("reference", contract.reference, False),
        ("title", contract.title, False),
        ("description", contract.description, True),
        ("cpv_code", contract.cpv_code or "", False),
        *(("supplier name", s.name, False) for s in contract.suppliers),
    ]
    for field, text, multiline in texts:
        found = control_character(text, multiline=multiline)
        if found:
            raise OcdsError(
                f"{contract.award_id}, {field}: must not contain control characters ({found})"
            )
        if len(text) > MAX_LENGTHS.get(field, len(text)):
            raise OcdsError(
                f"{contract.award_id}, {field}: is {len(text):,} characters long; "
                f"the register holds at most {MAX_LENGTHS[field]}"
            )
