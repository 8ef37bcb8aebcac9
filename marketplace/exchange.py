"""The exchange format (shared/data/README.md): one JSON object a line. This module reads and
writes records; services/exchange.py stores them."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from accounts.models import OrganisationType
from accounts.provinces import province_code, province_name

from .models import Listing, Offer, Request
from .taxonomy import MAX_KEYWORDS, IPStatus, ListingKind, ListingLanguage, Sector, TransferType

COMMON_KEYS = (
    "kind",
    "external_id",
    "language",
    "title",
    "summary",
    "description",
    "sector",
    "keywords",
    "province",
    "owner",
)
OFFER_KEYS = ("trl", "ip_status", "transfer_types", "price_vnd")
REQUEST_KEYS = ("transfer_types", "budget_vnd")


@dataclass
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass
class Record:
    """One valid line, in the platform's terms (province as a code)."""

    line: int
    kind: str
    external_id: str
    owner_name: str
    owner_type: str
    fields: dict = field(default_factory=dict)

    @property
    def model(self) -> type[Listing]:
        return Offer if self.kind == ListingKind.OFFER else Request


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self, line: int, data: dict):
        self.line = line
        self.data = data
        self.errors: list[LineError] = []

    def error(self, name: str, message: str) -> None:
        self.errors.append(LineError(self.line, name, message))

    def text(self, name: str, *, max_length: int, required: bool) -> str:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.error(name, "is required")
            return ""
        if not isinstance(value, str):
            self.error(name, "must be a string")
            return ""
        if len(value) > max_length:
            self.error(name, f"is longer than {max_length} characters ({len(value)})")
        elif required and not value.strip():
            self.error(name, "is required")
        return value

    def choice(self, name: str, choices, *, required: bool, default: str = "") -> str:
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "is required")
            return default
        if value not in choices:
            self.error(name, f"must be one of {', '.join(choices)} (got {value!r})")
            return default
        return value

    def code_list(self, name: str, choices, *, limit: int | None = None) -> list[str]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error(name, "must be a list of strings")
            return []
        if limit is not None and len(value) > limit:
            self.error(name, f"has {len(value)} items; at most {limit} are allowed")
        if choices is not None:
            unknown = [item for item in value if item not in choices]
            if unknown:
                self.error(name, f"unknown values {unknown}; allowed: {', '.join(choices)}")
        return list(value)

    def amount(self, name: str) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not _is_int(value) or value < 0:
            self.error(name, "must be a whole, non-negative number of đồng or null")
            return None
        return value

    def not_for(self, names: Iterable[str], kind: str) -> None:
        for name in names:
            if name in self.data and self.data[name] is not None:
                self.error(name, f"is not a field of a {kind}")


def parse_line(line_number: int, text: str) -> tuple[Record | None, list[LineError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [LineError(line_number, "-", f"is not valid JSON ({exc.msg})")]
    if not isinstance(data, dict):
        return None, [LineError(line_number, "-", "must be a JSON object")]
    check = _Checker(line_number, data)
    kind = check.choice("kind", ListingKind.values, required=True)
    external_id = check.text("external_id", max_length=64, required=True)
    fields: dict = {
        "language": check.choice("language", ListingLanguage.values, required=False, default="vi"),
        "title": check.text("title", max_length=200, required=True),
        "summary": check.text("summary", max_length=500, required=False),
        "description": check.text("description", max_length=5000, required=True),
        "sector": check.choice("sector", Sector.values, required=True),
        "keywords": check.code_list("keywords", None, limit=MAX_KEYWORDS),
        "transfer_types": check.code_list("transfer_types", TransferType.values),
    }
    province = data.get("province")
    fields["province"] = ""
    if province not in (None, ""):
        code = province_code(province) if isinstance(province, str) else None
        if code is None:
            check.error("province", f"is not one of the 34 provincial units (got {province!r})")
        else:
            fields["province"] = code
    owner = data.get("owner")
    owner_name = owner_type = ""
    if not isinstance(owner, dict):
        check.error("owner", 'is required: {"name": ..., "type": ...}')
    else:
        owner_name = owner.get("name") if isinstance(owner.get("name"), str) else ""
        if not owner_name.strip():
            check.error("owner.name", "is required")
        elif len(owner_name) > 200:
            check.error("owner.name", "is longer than 200 characters")
        owner_type = owner.get("type")
        if owner_type not in OrganisationType.values:
            check.error("owner.type", f"must be one of {', '.join(OrganisationType.values)}")
    if kind == ListingKind.OFFER:
        trl = data.get("trl")
        if trl is not None and (not _is_int(trl) or not 1 <= trl <= 9):
            check.error("trl", "must be a whole number from 1 to 9")
            trl = None
        fields["trl"] = trl
        ip_status = check.choice("ip_status", IPStatus.values, required=False)
        fields["ip_status"] = ip_status
        fields["price_vnd"] = check.amount("price_vnd")
        check.not_for(["budget_vnd"], "offer")
    elif kind == ListingKind.REQUEST:
        fields["budget_vnd"] = check.amount("budget_vnd")
        check.not_for(["trl", "ip_status", "price_vnd"], "request")
    if check.errors:
        return None, check.errors
    record = Record(
        line=line_number,
        kind=kind,
        external_id=external_id,
        owner_name=owner_name.strip(),
        owner_type=owner_type,
        fields=fields,
    )
    return record, []


def parse_lines(lines: Iterable[str]) -> tuple[list[Record], list[LineError]]:
    """Every line checked, so one run reports every problem of a file."""
    records: list[Record] = []
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        record, line_errors = parse_line(number, text)
        errors.extend(line_errors)
        if record is None:
            continue
        if record.external_id in seen:
            errors.append(
                LineError(
                    number,
                    "external_id",
                    f"{record.external_id!r} already used on line {seen[record.external_id]}",
                )
            )
            continue
        seen[record.external_id] = number
        records.append(record)
    return records, errors


ANONYMOUS_OWNER = "Ẩn danh"


def listing_to_record(listing: Listing, *, public: bool = False) -> dict:
    """`public` records go to other exchanges: an anonymous request keeps its owner's name to
    itself there, as on our own pages."""
    organisation = listing.organisation
    owner_name = organisation.name
    if public and getattr(listing, "is_anonymous", False):
        owner_name = ANONYMOUS_OWNER
    record = {
        "kind": listing.KIND,
        "external_id": listing.external_id,
        "language": listing.language,
        "title": listing.title,
        "summary": listing.summary,
        "description": listing.description,
        "sector": listing.sector,
        "keywords": list(listing.keywords or []),
        "province": province_name(listing.province) or None,
        "owner": {"name": owner_name, "type": organisation.type},
    }
    if isinstance(listing, Offer):
        record["trl"] = listing.trl
        record["ip_status"] = listing.ip_status or None
        record["transfer_types"] = list(listing.transfer_types)
        record["price_vnd"] = listing.price_vnd
    else:
        record["transfer_types"] = list(listing.transfer_types)
        record["budget_vnd"] = listing.budget_vnd
    return record


def dump_records(listings: Iterable[Listing], *, public: bool = False) -> Iterator[str]:
    for listing in listings:
        yield json.dumps(listing_to_record(listing, public=public), ensure_ascii=False)
