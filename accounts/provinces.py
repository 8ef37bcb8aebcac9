"""The 34 provincial units in force since 1 July 2025, with the socio-economic region each
belongs to (used as a soft "nearby" signal). Codes are ASCII slugs; names are as written in
CONVENTIONS.md and are what the exchange format carries."""

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    NORTHERN_MIDLANDS = "northern_midlands", _("Northern midlands and mountains")
    RED_RIVER_DELTA = "red_river_delta", _("Red River Delta")
    NORTH_CENTRAL = "north_central", _("North Central and Central Coast")
    CENTRAL_HIGHLANDS = "central_highlands", _("Central Highlands")
    SOUTH_EAST = "south_east", _("South East")
    MEKONG_DELTA = "mekong_delta", _("Mekong Delta")


# (code, name, region)
PROVINCE_DATA: list[tuple[str, str, Region]] = [
    ("ha-noi", "Hà Nội", Region.RED_RIVER_DELTA),
    ("hue", "Huế", Region.NORTH_CENTRAL),
    ("hai-phong", "Hải Phòng", Region.RED_RIVER_DELTA),
    ("da-nang", "Đà Nẵng", Region.NORTH_CENTRAL),
    ("tp-ho-chi-minh", "TP. Hồ Chí Minh", Region.SOUTH_EAST),
    ("can-tho", "Cần Thơ", Region.MEKONG_DELTA),
    ("lai-chau", "Lai Châu", Region.NORTHERN_MIDLANDS),
    ("dien-bien", "Điện Biên", Region.NORTHERN_MIDLANDS),
    ("son-la", "Sơn La", Region.NORTHERN_MIDLANDS),
    ("lang-son", "Lạng Sơn", Region.NORTHERN_MIDLANDS),
    ("quang-ninh", "Quảng Ninh", Region.RED_RIVER_DELTA),
    ("thanh-hoa", "Thanh Hóa", Region.NORTH_CENTRAL),
    ("nghe-an", "Nghệ An", Region.NORTH_CENTRAL),
    ("ha-tinh", "Hà Tĩnh", Region.NORTH_CENTRAL),
    ("cao-bang", "Cao Bằng", Region.NORTHERN_MIDLANDS),
    ("tuyen-quang", "Tuyên Quang", Region.NORTHERN_MIDLANDS),
    ("lao-cai", "Lào Cai", Region.NORTHERN_MIDLANDS),
    ("thai-nguyen", "Thái Nguyên", Region.NORTHERN_MIDLANDS),
    ("phu-tho", "Phú Thọ", Region.NORTHERN_MIDLANDS),
    ("bac-ninh", "Bắc Ninh", Region.RED_RIVER_DELTA),
    ("hung-yen", "Hưng Yên", Region.RED_RIVER_DELTA),
    ("ninh-binh", "Ninh Bình", Region.RED_RIVER_DELTA),
    ("quang-tri", "Quảng Trị", Region.NORTH_CENTRAL),
    ("quang-ngai", "Quảng Ngãi", Region.NORTH_CENTRAL),
    ("gia-lai", "Gia Lai", Region.CENTRAL_HIGHLANDS),
    ("khanh-hoa", "Khánh Hòa", Region.NORTH_CENTRAL),
    ("lam-dong", "Lâm Đồng", Region.CENTRAL_HIGHLANDS),
    ("dak-lak", "Đắk Lắk", Region.CENTRAL_HIGHLANDS),
    ("dong-nai", "Đồng Nai", Region.SOUTH_EAST),
    ("tay-ninh", "Tây Ninh", Region.SOUTH_EAST),
    ("vinh-long", "Vĩnh Long", Region.MEKONG_DELTA),
    ("dong-thap", "Đồng Tháp", Region.MEKONG_DELTA),
    ("ca-mau", "Cà Mau", Region.MEKONG_DELTA),
    ("an-giang", "An Giang", Region.MEKONG_DELTA),
]

PROVINCE_CHOICES: list[tuple[str, str]] = [(code, name) for code, name, _region in PROVINCE_DATA]
PROVINCE_NAMES: dict[str, str] = dict(PROVINCE_CHOICES)
PROVINCE_REGIONS: dict[str, Region] = {code: region for code, _name, region in PROVINCE_DATA}


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return "".join(ch for ch in stripped.lower() if ch.isalnum())


_BY_KEY: dict[str, str] = {}
for _code, _name, _region in PROVINCE_DATA:
    _BY_KEY[_key(_name)] = _code
    _BY_KEY[_key(_code)] = _code
_BY_KEY[_key("Hồ Chí Minh")] = "tp-ho-chi-minh"
_BY_KEY[_key("Thành phố Hồ Chí Minh")] = "tp-ho-chi-minh"
_BY_KEY[_key("Ho Chi Minh City")] = "tp-ho-chi-minh"
_BY_KEY[_key("Sài Gòn")] = "tp-ho-chi-minh"


def province_code(value: str) -> str | None:
    """The code for a province written as its code or name, with or without diacritics."""
    if not value:
        return None
    return _BY_KEY.get(_key(value))


def province_name(code: str) -> str:
    return PROVINCE_NAMES.get(code, "")


def same_region(code_a: str, code_b: str) -> bool:
    region_a = PROVINCE_REGIONS.get(code_a)
    return region_a is not None and region_a == PROVINCE_REGIONS.get(code_b)
