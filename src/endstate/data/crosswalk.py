"""Country codes: Gleditsch-Ward and Correlates of War numbers <-> ISO 3166-1 alpha-3.

Core objects: :data:`COUNTRIES` (the hand-built table), :func:`crosswalk_table`,
:func:`gw_to_iso3`, :func:`cow_to_iso3`, :func:`iso3_to_gw`, :func:`iso3_to_cow`
and :func:`parse_codes` (UCDP's ``"750, 770"`` code lists).

Sources: Gleditsch & Ward, "A revised list of independent states since the
Congress of Vienna", International Interactions 25(4), 1999 (state list as
updated by the authors, including their micro-state list); Correlates of War
Project, State System Membership List v2016; ISO 3166-1 alpha-3 as used by the
World Bank (``XKX`` for Kosovo, a user-assigned code).  UCDP's ``gwno_*``
fields use Gleditsch-Ward numbers.

Historical states (``historical=True``) map to the ISO-3 of their successor
(South Vietnam -> VNM, South Yemen -> YEM, Czechoslovakia -> CZE, the Soviet
Union shares 365 with Russia, Yugoslavia shares 345 with Serbia), so a
conflict located there is matched with the successor's data; going back from
ISO-3, only current states are used.  The two code systems differ for Germany
(GW 260, COW 255 for today's state; COW 260 for the Federal Republic before
1990), Yemen (GW 678 throughout; COW 678 before 1990 and 679 after) and the
Pacific micro-states (GW 970-973 vs COW 946, 947, 955, 970).
"""

from __future__ import annotations

import numbers
import re
from functools import cache

import pandas as pd

# (Gleditsch-Ward, COW, ISO-3, name, historical).  None: no code in that system.
COUNTRIES: tuple[tuple[int | None, int | None, str, str, bool], ...] = (
    # Americas
    (2, 2, "USA", "United States of America", False),
    (20, 20, "CAN", "Canada", False),
    (31, 31, "BHS", "Bahamas", False),
    (40, 40, "CUB", "Cuba", False),
    (41, 41, "HTI", "Haiti", False),
    (42, 42, "DOM", "Dominican Republic", False),
    (51, 51, "JAM", "Jamaica", False),
    (52, 52, "TTO", "Trinidad and Tobago", False),
    (53, 53, "BRB", "Barbados", False),
    (54, 54, "DMA", "Dominica", False),
    (55, 55, "GRD", "Grenada", False),
    (56, 56, "LCA", "Saint Lucia", False),
    (57, 57, "VCT", "Saint Vincent and the Grenadines", False),
    (58, 58, "ATG", "Antigua and Barbuda", False),
    (60, 60, "KNA", "Saint Kitts and Nevis", False),
    (70, 70, "MEX", "Mexico", False),
    (80, 80, "BLZ", "Belize", False),
    (90, 90, "GTM", "Guatemala", False),
    (91, 91, "HND", "Honduras", False),
    (92, 92, "SLV", "El Salvador", False),
    (93, 93, "NIC", "Nicaragua", False),
    (94, 94, "CRI", "Costa Rica", False),
    (95, 95, "PAN", "Panama", False),
    (100, 100, "COL", "Colombia", False),
    (101, 101, "VEN", "Venezuela", False),
    (110, 110, "GUY", "Guyana", False),
    (115, 115, "SUR", "Suriname", False),
    (130, 130, "ECU", "Ecuador", False),
    (135, 135, "PER", "Peru", False),
    (140, 140, "BRA", "Brazil", False),
    (145, 145, "BOL", "Bolivia", False),
    (150, 150, "PRY", "Paraguay", False),
    (155, 155, "CHL", "Chile", False),
    (160, 160, "ARG", "Argentina", False),
    (165, 165, "URY", "Uruguay", False),
    # Europe
    (200, 200, "GBR", "United Kingdom", False),
    (205, 205, "IRL", "Ireland", False),
    (210, 210, "NLD", "Netherlands", False),
    (211, 211, "BEL", "Belgium", False),
    (212, 212, "LUX", "Luxembourg", False),
    (220, 220, "FRA", "France", False),
    (221, 221, "MCO", "Monaco", False),
    (223, 223, "LIE", "Liechtenstein", False),
    (225, 225, "CHE", "Switzerland", False),
    (230, 230, "ESP", "Spain", False),
    (232, 232, "AND", "Andorra", False),
    (235, 235, "PRT", "Portugal", False),
    (260, 255, "DEU", "Germany", False),
    (None, 260, "DEU", "German Federal Republic", True),
    (265, 265, "DEU", "German Democratic Republic", True),
    (290, 290, "POL", "Poland", False),
    (305, 305, "AUT", "Austria", False),
    (310, 310, "HUN", "Hungary", False),
    (315, 315, "CZE", "Czechoslovakia", True),
    (316, 316, "CZE", "Czech Republic", False),
    (317, 317, "SVK", "Slovakia", False),
    (325, 325, "ITA", "Italy", False),
    (331, 331, "SMR", "San Marino", False),
    (338, 338, "MLT", "Malta", False),
    (339, 339, "ALB", "Albania", False),
    (341, 341, "MNE", "Montenegro", False),
    (343, 343, "MKD", "North Macedonia", False),
    (344, 344, "HRV", "Croatia", False),
    (345, 345, "SRB", "Serbia (Yugoslavia)", False),
    (346, 346, "BIH", "Bosnia and Herzegovina", False),
    (347, 347, "XKX", "Kosovo", False),
    (349, 349, "SVN", "Slovenia", False),
    (350, 350, "GRC", "Greece", False),
    (352, 352, "CYP", "Cyprus", False),
    (355, 355, "BGR", "Bulgaria", False),
    (359, 359, "MDA", "Moldova", False),
    (360, 360, "ROU", "Romania", False),
    (365, 365, "RUS", "Russia (Soviet Union)", False),
    (366, 366, "EST", "Estonia", False),
    (367, 367, "LVA", "Latvia", False),
    (368, 368, "LTU", "Lithuania", False),
    (369, 369, "UKR", "Ukraine", False),
    (370, 370, "BLR", "Belarus", False),
    (371, 371, "ARM", "Armenia", False),
    (372, 372, "GEO", "Georgia", False),
    (373, 373, "AZE", "Azerbaijan", False),
    (375, 375, "FIN", "Finland", False),
    (380, 380, "SWE", "Sweden", False),
    (385, 385, "NOR", "Norway", False),
    (390, 390, "DNK", "Denmark", False),
    (395, 395, "ISL", "Iceland", False),
    # Africa
    (402, 402, "CPV", "Cape Verde", False),
    (403, 403, "STP", "Sao Tome and Principe", False),
    (404, 404, "GNB", "Guinea-Bissau", False),
    (411, 411, "GNQ", "Equatorial Guinea", False),
    (420, 420, "GMB", "Gambia", False),
    (432, 432, "MLI", "Mali", False),
    (433, 433, "SEN", "Senegal", False),
    (434, 434, "BEN", "Benin", False),
    (435, 435, "MRT", "Mauritania", False),
    (436, 436, "NER", "Niger", False),
    (437, 437, "CIV", "Cote d'Ivoire", False),
    (438, 438, "GIN", "Guinea", False),
    (439, 439, "BFA", "Burkina Faso", False),
    (450, 450, "LBR", "Liberia", False),
    (451, 451, "SLE", "Sierra Leone", False),
    (452, 452, "GHA", "Ghana", False),
    (461, 461, "TGO", "Togo", False),
    (471, 471, "CMR", "Cameroon", False),
    (475, 475, "NGA", "Nigeria", False),
    (481, 481, "GAB", "Gabon", False),
    (482, 482, "CAF", "Central African Republic", False),
    (483, 483, "TCD", "Chad", False),
    (484, 484, "COG", "Congo", False),
    (490, 490, "COD", "DR Congo (Zaire)", False),
    (500, 500, "UGA", "Uganda", False),
    (501, 501, "KEN", "Kenya", False),
    (510, 510, "TZA", "Tanzania", False),
    (511, 511, "TZA", "Zanzibar", True),
    (516, 516, "BDI", "Burundi", False),
    (517, 517, "RWA", "Rwanda", False),
    (520, 520, "SOM", "Somalia", False),
    (522, 522, "DJI", "Djibouti", False),
    (530, 530, "ETH", "Ethiopia", False),
    (531, 531, "ERI", "Eritrea", False),
    (540, 540, "AGO", "Angola", False),
    (541, 541, "MOZ", "Mozambique", False),
    (551, 551, "ZMB", "Zambia", False),
    (552, 552, "ZWE", "Zimbabwe", False),
    (553, 553, "MWI", "Malawi", False),
    (560, 560, "ZAF", "South Africa", False),
    (565, 565, "NAM", "Namibia", False),
    (570, 570, "LSO", "Lesotho", False),
    (571, 571, "BWA", "Botswana", False),
    (572, 572, "SWZ", "Eswatini (Swaziland)", False),
    (580, 580, "MDG", "Madagascar", False),
    (581, 581, "COM", "Comoros", False),
    (590, 590, "MUS", "Mauritius", False),
    (591, 591, "SYC", "Seychelles", False),
    # Middle East and North Africa
    (600, 600, "MAR", "Morocco", False),
    (615, 615, "DZA", "Algeria", False),
    (616, 616, "TUN", "Tunisia", False),
    (620, 620, "LBY", "Libya", False),
    (625, 625, "SDN", "Sudan", False),
    (626, 626, "SSD", "South Sudan", False),
    (630, 630, "IRN", "Iran", False),
    (640, 640, "TUR", "Turkey", False),
    (645, 645, "IRQ", "Iraq", False),
    (651, 651, "EGY", "Egypt", False),
    (652, 652, "SYR", "Syria", False),
    (660, 660, "LBN", "Lebanon", False),
    (663, 663, "JOR", "Jordan", False),
    (666, 666, "ISR", "Israel", False),
    (670, 670, "SAU", "Saudi Arabia", False),
    (678, 679, "YEM", "Yemen (North Yemen before 1990)", False),
    (None, 678, "YEM", "Yemen Arab Republic", True),
    (680, 680, "YEM", "South Yemen", True),
    (690, 690, "KWT", "Kuwait", False),
    (692, 692, "BHR", "Bahrain", False),
    (694, 694, "QAT", "Qatar", False),
    (696, 696, "ARE", "United Arab Emirates", False),
    (698, 698, "OMN", "Oman", False),
    # Asia
    (700, 700, "AFG", "Afghanistan", False),
    (701, 701, "TKM", "Turkmenistan", False),
    (702, 702, "TJK", "Tajikistan", False),
    (703, 703, "KGZ", "Kyrgyzstan", False),
    (704, 704, "UZB", "Uzbekistan", False),
    (705, 705, "KAZ", "Kazakhstan", False),
    (710, 710, "CHN", "China", False),
    (711, 711, "CHN", "Tibet", True),
    (712, 712, "MNG", "Mongolia", False),
    (713, 713, "TWN", "Taiwan", False),
    (731, 731, "PRK", "North Korea", False),
    (732, 732, "KOR", "South Korea", False),
    (740, 740, "JPN", "Japan", False),
    (750, 750, "IND", "India", False),
    (751, None, "IND", "Hyderabad", True),
    (760, 760, "BTN", "Bhutan", False),
    (770, 770, "PAK", "Pakistan", False),
    (771, 771, "BGD", "Bangladesh", False),
    (775, 775, "MMR", "Myanmar (Burma)", False),
    (780, 780, "LKA", "Sri Lanka", False),
    (781, 781, "MDV", "Maldives", False),
    (790, 790, "NPL", "Nepal", False),
    (800, 800, "THA", "Thailand", False),
    (811, 811, "KHM", "Cambodia (Kampuchea)", False),
    (812, 812, "LAO", "Laos", False),
    (816, 816, "VNM", "Vietnam (North Vietnam before 1976)", False),
    (817, 817, "VNM", "South Vietnam", True),
    (820, 820, "MYS", "Malaysia", False),
    (830, 830, "SGP", "Singapore", False),
    (835, 835, "BRN", "Brunei", False),
    (840, 840, "PHL", "Philippines", False),
    (850, 850, "IDN", "Indonesia", False),
    (860, 860, "TLS", "Timor-Leste (East Timor)", False),
    # Oceania
    (900, 900, "AUS", "Australia", False),
    (910, 910, "PNG", "Papua New Guinea", False),
    (920, 920, "NZL", "New Zealand", False),
    (935, 935, "VUT", "Vanuatu", False),
    (940, 940, "SLB", "Solomon Islands", False),
    (950, 950, "FJI", "Fiji", False),
    (970, 946, "KIR", "Kiribati", False),
    (971, 970, "NRU", "Nauru", False),
    (972, 955, "TON", "Tonga", False),
    (973, 947, "TUV", "Tuvalu", False),
    (983, 983, "MHL", "Marshall Islands", False),
    (986, 986, "PLW", "Palau", False),
    (987, 987, "FSM", "Micronesia", False),
    (990, 990, "WSM", "Samoa", False),
)


@cache
def crosswalk_table() -> pd.DataFrame:
    """The table as a frame: ``gw``, ``cow`` (nullable ints), ``iso3``, ``name``, ``historical``."""
    df = pd.DataFrame(COUNTRIES, columns=["gw", "cow", "iso3", "name", "historical"])
    return df.astype({"gw": "Int64", "cow": "Int64", "iso3": "str", "name": "str", "historical": "bool"})


@cache
def _maps() -> dict[str, dict]:
    gw = {g: iso for g, _, iso, _, _ in COUNTRIES if g is not None}
    cow = {c: iso for _, c, iso, _, _ in COUNTRIES if c is not None}
    cur = [row for row in COUNTRIES if not row[4]]
    return {
        "gw": gw,
        "cow": cow,
        "iso_gw": {iso: g for g, _, iso, _, _ in cur if g is not None},
        "iso_cow": {iso: c for _, c, iso, _, _ in cur if c is not None},
    }


def _code(value: int | float | str | None) -> int | None:
    codes = parse_codes(value)
    return codes[0] if codes else None


def parse_codes(value: int | float | str | None) -> list[int]:
    """Numbers in a code field: ``"750, 770"`` -> ``[750, 770]``; ``651.0`` -> ``[651]``; empty -> ``[]``."""
    if value is None or value is pd.NA or (isinstance(value, numbers.Real) and value != value):
        return []
    if isinstance(value, numbers.Real):
        return [int(value)]
    return [int(float(t)) for t in re.split(r"[,;\s]+", str(value).strip()) if t]


def gw_to_iso3(code: int | float | str | None) -> str | None:
    """ISO-3 of a Gleditsch-Ward number (the first one of a list); ``None`` if unknown."""
    c = _code(code)
    return None if c is None else _maps()["gw"].get(c)


def cow_to_iso3(code: int | float | str | None) -> str | None:
    """ISO-3 of a Correlates of War number; ``None`` if unknown."""
    c = _code(code)
    return None if c is None else _maps()["cow"].get(c)


def iso3_to_gw(iso3: str) -> int | None:
    """Gleditsch-Ward number of a current state's ISO-3 code; ``None`` if unknown."""
    return _maps()["iso_gw"].get(iso3.upper())


def iso3_to_cow(iso3: str) -> int | None:
    """COW number of a current state's ISO-3 code; ``None`` if unknown."""
    return _maps()["iso_cow"].get(iso3.upper())
