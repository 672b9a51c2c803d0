"""Contracts Finder OCDS releases turned into plain contract records for the register.

Pure Python on purpose: the import service and management commands call it, and it is
tested without a database. It reads OCDS 1.1 as Contracts Finder publishes it, both the
release package its search API returns and a bare JSON array of releases.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import groupby
from operator import itemgetter
from typing import Any

import ocdsmerge
from ocdsmerge.exceptions import OCDSMergeError

from contracts.ocds_checks import OcdsError, check_depth, check_shape, check_text

SHAPE_MESSAGE = "Expected an OCDS release package or a JSON array of releases"

# ocdsmerge.Merger() without rules downloads the latest release schema. We pass the rules
# ourselves so merging works offline: the release-level fields the standard omits, and
# whole-list merge for arrays the schema says to replace.
_OMIT_WHEN_MERGED = dict.fromkeys([("id",), ("date",), ("tag",)], "omitWhenMerged")
# The OCDS schema marks these wholeListMerge even though their items carry an `id`.
_WHOLE_LIST_KEYS = frozenset({"additionalIdentifiers", "additionalClassifications"})
# Awards that did not go ahead are not contracts, so the register must not import them.
_NOT_CONTRACTS = frozenset({"cancelled", "unsuccessful"})
# Contracts Finder lost the backslashes of \r\n, leaving a literal "rn". Only two or more in
# a row ("rnrn", "rn   rn") or one between sentence punctuation and a capital are taken
# as line breaks: a lone "rn" is part of "return", "govern", "Learn" and "International".
_RN_RUN = re.compile(r"[ \t]*rn(?:[ \t]*rn)+[ \t]*")
_RN_AFTER_SENTENCE = re.compile(r"(?<=[.:;!?])[ \t]*rn[ \t]*(?=[A-Z])")
# Companies House numbers are 8 characters: 8 digits, or a 2-character prefix (SC, NI,
# OC, R0...) and 6 digits.
_COMPANIES_HOUSE_NUMBER = re.compile(r"[A-Z0-9]{2}\d{6}")
_SCALES = {"sme": True, "micro": True, "large": False}


@dataclass(frozen=True)
class OcdsSupplier:
    name: str
    companies_house_number: str | None
    is_sme: bool | None
    is_vcse: bool | None
    postcode: str | None
    town: str | None


@dataclass(frozen=True)
class OcdsContract:
    ocid: str
    award_id: str
    reference: str
    title: str
    description: str
    buyer_name: str | None
    cpv_code: str | None
    procurement_method_details: str | None
    start_date: date | None
    end_date: date | None
    value: Decimal | None
    currency: str | None
    suppliers: tuple[OcdsSupplier, ...]


def load_releases(data: Any) -> list[dict]:
    """The releases of a parsed release package or JSON array, checked for ocid, id and
    date, and for the shape of every part the import reads."""
    check_depth(data)
    if isinstance(data, dict):
        if "releases" not in data:
            raise OcdsError(f"{SHAPE_MESSAGE}: the object has no 'releases'")
        releases = data["releases"]
        if not isinstance(releases, list):
            raise OcdsError(f"{SHAPE_MESSAGE}: 'releases' is not an array")
    elif isinstance(data, list):
        releases = data
    else:
        raise OcdsError(f"{SHAPE_MESSAGE}, not {type(data).__name__}")
    for position, release in enumerate(releases):
        if not isinstance(release, dict):
            raise OcdsError(f"Release {position} is {type(release).__name__}, not an object")
        for field in ("ocid", "id", "date"):
            if not isinstance(release.get(field), str) or not release[field].strip():
                raise OcdsError(f"Release {position} has no '{field}' (a non-empty string)")
        check_shape(release, f"Release {position} ({release['ocid']})")
    return list(releases)


def compile_records(releases: list[dict]) -> list[dict]:
    """One compiled release per ocid, merged by the OCDS merge routine, in ocid order."""
    # Sorting by (date, id) first makes ties on `date` merge the same way whatever order
    # the file listed them in; ocdsmerge's own sort by date is stable.
    ordered = sorted(releases, key=itemgetter("ocid", "date", "id"))
    records = []
    for ocid, group in groupby(ordered, key=itemgetter("ocid")):
        releases_of_ocid = list(group)
        merger = ocdsmerge.Merger(merge_rules=_merge_rules(releases_of_ocid))
        try:
            records.append(merger.create_compiled_release(releases_of_ocid))
        except (OCDSMergeError, TypeError, ValueError, KeyError) as error:
            # Ids that are objects or arrays, for example, break the merge.
            raise OcdsError(f"Releases of {ocid} cannot be merged: {error!r}") from error
    return records


def contracts_from_record(record: dict) -> list[OcdsContract]:
    """One contract per award that went ahead with at least one supplier.

    Tender and planning records have no awards and give []. Awards without suppliers are
    skipped: a register entry needs a provider to hold it.
    """
    ocid = record.get("ocid")
    if not isinstance(ocid, str) or not ocid:
        raise OcdsError("Record has no 'ocid'")
    parties = {party.get("id"): party for party in _objects(record.get("parties"))}
    tender = record.get("tender") or {}
    periods = {c.get("awardID"): c.get("period") for c in _objects(record.get("contracts"))}
    contracts = []
    for award in _objects(record.get("awards")):
        references = _objects(award.get("suppliers"))
        if award.get("status") in _NOT_CONTRACTS or not references:
            continue
        award_id = str(award.get("id") or "")
        if not award_id:
            raise OcdsError(f"An award of {ocid} has no 'id'")
        # The signed contract's period is the firmest; Contracts Finder gives the award's,
        # which can differ from the tender's estimate by a day (North Yorkshire).
        period = periods.get(award["id"]) or award.get("contractPeriod")
        period = period or tender.get("contractPeriod") or {}
        value = award.get("value") or {}
        contracts.append(
            OcdsContract(
                ocid=ocid,
                award_id=award_id,
                # Award ids are "<ocid>-<n>" and survive awardUpdate notices, whereas
                # release ids change with every notice: the award id stays stable.
                reference=award_id,
                title=_title(award.get("title") or tender.get("title") or record.get("title")),
                description=_description(tender.get("description"), award.get("description")),
                buyer_name=_buyer_name(record, parties),
                cpv_code=_cpv_code(tender.get("classification")),
                procurement_method_details=_text(tender.get("procurementMethodDetails")),
                start_date=_date_part(period.get("startDate"), f"{award_id} startDate"),
                end_date=_date_part(period.get("endDate"), f"{award_id} endDate"),
                value=_amount(value.get("amount"), award_id),
                currency=_text(value.get("currency")),
                suppliers=tuple(_supplier(ref, parties.get(ref.get("id"))) for ref in references),
            )
        )
    return contracts


def contracts_from_data(data: Any) -> list[OcdsContract]:
    """Every contract in a parsed release package or JSON array of releases."""
    contracts = [
        contract
        for record in compile_records(load_releases(data))
        for contract in contracts_from_record(record)
    ]
    for contract in contracts:
        check_text(contract)
    return contracts


def _merge_rules(releases: list[dict]) -> dict[tuple[str, ...], str]:
    rules = dict(_OMIT_WHEN_MERGED)

    # Arrays of objects without `id` (extension fields such as deliveryAddresses) have no
    # rule in core OCDS; left to ocdsmerge they would be appended under random keys on
    # every release, so they are replaced whole, as the standard does for id-less items.
    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            if path[-1] in _WHOLE_LIST_KEYS or any(
                isinstance(item, dict) and "id" not in item for item in node
            ):
                rules[path] = "wholeListMerge"
            for item in node:
                walk(item, path)

    for release in releases:
        walk(release, ())
    return rules


def _objects(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return html.unescape(value).strip() or None


def _title(value: Any) -> str:
    # A title is one line: the double spaces Contracts Finder leaves in are noise.
    return " ".join((_text(value) or "").split())


def _description(tender_description: Any, award_description: Any) -> str:
    # The tender says what is bought; the award's own note ("Awarded value stated as for
    # initial term only") qualifies it, so both are kept, the note as its own paragraph.
    parts = []
    for value in (tender_description, award_description):
        text = _text(value)
        if text and text not in parts:
            parts.append(_restore_line_breaks(text))
    return "\n\n".join(parts)


def _restore_line_breaks(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    def run(match: re.Match[str]) -> str:
        breaks = match.group().count("rn")
        glued = match.start() > 0 and text[match.start() - 1].isalpha()
        # Line breaks come in pairs; an odd run glued to a word ("Learnrnrn") starts with
        # the word's own "rn".
        if glued and breaks % 2 and not match.group()[0].isspace():
            return "rn" + "\n" * (breaks - 1)
        return "\n" * breaks

    text = _RN_RUN.sub(run, text)
    return _RN_AFTER_SENTENCE.sub("\n", text).strip()


def _buyer_name(record: dict, parties: dict[Any, dict]) -> str | None:
    buyer = record.get("buyer") or {}
    party = parties.get(buyer.get("id")) or next(
        (p for p in parties.values() if "buyer" in (p.get("roles") or [])), {}
    )
    return _text(buyer.get("name")) or _text(party.get("name"))


def _cpv_code(classification: Any) -> str | None:
    if isinstance(classification, dict) and str(classification.get("scheme")).upper() == "CPV":
        return _text(str(classification.get("id") or ""))
    return None


def _date_part(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    # The date as the notice wrote it: converting "2024-10-01T00:00:00+01:00" to UTC
    # would move a 1 October start to 30 September.
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise OcdsError(f"{where} is {value!r}, not an ISO 8601 date") from error


def _amount(amount: Any, award_id: str) -> Decimal | None:
    if amount is None:
        return None
    # Zero stays Decimal("0"): Contracts Finder writes 0 for frameworks and purchasing
    # systems whose value lies in later call-offs, which is not the same as no value.
    result = None
    if not isinstance(amount, bool) and isinstance(amount, (int, float, str, Decimal)):
        # str() first: json gives floats, and the shortest repr of 1018044.14 is exact
        # where Decimal(1018044.14) would carry the binary error into the register.
        try:
            result = Decimal(str(amount).strip())
        except InvalidOperation:
            result = None
    if result is None or not result.is_finite():
        raise OcdsError(f"{award_id} value amount is {amount!r}, not a number")
    return result


def _supplier(reference: dict, party: dict | None) -> OcdsSupplier:
    party = party or {}
    details = party.get("details") or {}
    address = party.get("address") or {}
    vcse = details.get("vcse")
    return OcdsSupplier(
        name=_text(party.get("name")) or _text(reference.get("name")) or "",
        companies_house_number=_companies_house_number(party),
        is_sme=_SCALES.get(str(details.get("scale")).lower()),
        is_vcse=vcse if isinstance(vcse, bool) else None,
        postcode=_text(address.get("postalCode")),
        town=_text(address.get("locality")),
    )


def _companies_house_number(party: dict) -> str | None:
    identifiers = [party.get("identifier"), *_objects(party.get("additionalIdentifiers"))]
    for identifier in identifiers:
        if not isinstance(identifier, dict) or identifier.get("scheme") != "GB-COH":
            continue
        number = "".join(str(identifier.get("id") or "").split()).upper()
        # Buyers type numbers without their leading zeros ("4142000" for 04142000).
        if number.isdigit() and len(number) < 8:
            number = number.zfill(8)
        if _COMPANIES_HOUSE_NUMBER.fullmatch(number):
            return number
    return None
