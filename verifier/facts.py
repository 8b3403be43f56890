"""Numbers, dates and places an article states, found by rules and a gazetteer (no model).

Relative dates ("on Saturday", "last month") are resolved against the article's own date;
where the article has none they keep their words and are marked unresolved.
Numbers skip what belongs to a date or to a code (F-15, COVID-19, 9/11, a URL). Places are
looked up in ``data/places.txt``, longest name first. Where two finds overlap, the longer one
stands, so "December 6, 2025" hides its "6" and its "2025".

Speed: most patterns start with a plain word or character class and carry no leading ``\\b``,
because a leading assertion stops ``re`` from skipping ahead by the first character (it made
them several times slower). The word boundary is checked on each match instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from verifier.models import Article, Fact, FactKind

__all__ = ["find_facts"]


class _Found(NamedTuple):
    kind: FactKind
    start: int
    end: int
    value: str
    unit: str | None = None
    resolved: bool = True


def find_facts(article: Article) -> list[Fact]:
    """The numbers, dates and places the article body states, in text order."""
    text, start = article.text, article.body_start
    found = [
        *_dates(text, start, article.date),
        *_places(text, start),
        *_numbers(text, start),
    ]
    return [
        Fact(
            id=f"{article.id}.f{n}",
            article=article.id,
            kind=item.kind,
            text=text[item.start : item.end],
            start=item.start,
            end=item.end,
            value=item.value,
            unit=item.unit,
            resolved=item.resolved,
        )
        for n, item in enumerate(_without_overlaps(found))
    ]


_PRIORITY: dict[FactKind, int] = {"date": 0, "place": 1, "number": 2}


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    """Keep the leftmost, then longest, of overlapping finds; a date beats a number."""
    kept: list[_Found] = []
    for item in sorted(found, key=lambda f: (f.start, f.start - f.end, _PRIORITY[f.kind])):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


def _starts_word(text: str, index: int) -> bool:
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "_")


def _capitalised(*words: str) -> str:
    """An alternation of the words as written and capitalised, for sentence starts."""
    return "|".join(form for word in words for form in (word, word.capitalize()))


# --- dates -------------------------------------------------------------------------------

_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# Capitalised only: "may" and "march" are also everyday words.
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?P<day>[0-9][0-9]?)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)[0-9]{2})(?![0-9])"
# A bare month or year is a date only after a preposition, which the fact's text leaves out.
_PREPOSITION = _capitalised("in", "since", "until", "by", "during", "from", "before", "after")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH_DAY = re.compile(rf"(?P<date>{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?)(?![0-9])")
_DAY_MONTH = re.compile(rf"(?P<date>{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?)(?!\w)")
_MONTH_YEAR = re.compile(rf"(?P<date>{_MONTH},?\s+{_YEAR})")
_ISO_DATE = re.compile(
    r"(?P<date>(?P<year>[0-9][0-9]{3})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2}))(?![0-9])"
)
_MONTH_ONLY = re.compile(
    rf"(?:{_PREPOSITION})\s+(?:early\s+|late\s+|mid-)?(?P<date>{_MONTH})(?!\w)"
)
_YEAR_ONLY = re.compile(rf"(?:{_PREPOSITION})\s+(?P<date>{_YEAR})(?![\w%]|[.,][0-9])")
_WEEKDAY = re.compile(rf"(?P<date>(?P<weekday>{'|'.join(_WEEKDAYS)}))\b")
_NEAR_WEEKDAY = re.compile(
    rf"(?P<date>(?P<modifier>{_capitalised('last', 'next', 'this')})\s+"
    rf"(?P<weekday>{'|'.join(_WEEKDAYS)}))\b"
)
_NEAR_DAY = re.compile(rf"(?P<date>{_capitalised('yesterday', 'today', 'tomorrow')})\b")
_NEAR_PERIOD = re.compile(
    rf"(?P<date>(?P<when>{_capitalised('last', 'next', 'this', 'earlier this', 'later this')})"
    r"\s+(?P<period>week|month|year))\b"
)
_DAY_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1}
_PERIOD_OFFSETS = {"last": -1, "next": 1}


class _Undated(Exception):
    """A relative date in an article whose own date is unknown."""


def _anchor(today: dt.date | None) -> dt.date:
    if today is None:
        raise _Undated
    return today


def _month_number(match: re.Match[str]) -> int:
    month = match["month"]
    return int(month) if month.isdigit() else _MONTH_NUMBERS[month.rstrip(".").lower()]


def _iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _day_date(match: re.Match[str], today: dt.date | None) -> str:
    """A day ("December 6, 2025"); with no year, the latest such day not after the article date."""
    month, day = _month_number(match), int(match["day"])
    if match["year"]:
        return dt.date(int(match["year"]), month, day).isoformat()
    anchor = _anchor(today)
    date = dt.date(anchor.year, month, day)
    return (date if date <= anchor else dt.date(anchor.year - 1, month, day)).isoformat()


def _month_year(match: re.Match[str], today: dt.date | None) -> str:
    return _iso_month(int(match["year"]), _month_number(match))


def _month_only(match: re.Match[str], today: dt.date | None) -> str:
    """A month after a preposition ("in October"): the latest not after the article date."""
    anchor, month = _anchor(today), _month_number(match)
    return _iso_month(anchor.year if month <= anchor.month else anchor.year - 1, month)


def _year_only(match: re.Match[str], today: dt.date | None) -> str:
    return match["year"]


def _weekday(match: re.Match[str], today: dt.date | None) -> str:
    """The latest such day on or before the article date ("last": before it, "next": after)."""
    anchor = _anchor(today)
    target = _WEEKDAYS.index(match["weekday"])
    modifier = (match.groupdict().get("modifier") or "").lower()  # _WEEKDAY has none
    if modifier == "next":
        return (anchor + dt.timedelta((target - anchor.weekday() - 1) % 7 + 1)).isoformat()
    back = (anchor.weekday() - target) % 7
    if modifier == "last" and back == 0:
        back = 7
    return (anchor - dt.timedelta(back)).isoformat()


def _near_day(match: re.Match[str], today: dt.date | None) -> str:
    return (_anchor(today) + dt.timedelta(_DAY_OFFSETS[match["date"].lower()])).isoformat()


def _near_period(match: re.Match[str], today: dt.date | None) -> str:
    """A week, month or year near the article date: "last week" is an ISO week ("2025-W48")."""
    anchor = _anchor(today)
    offset = _PERIOD_OFFSETS.get(match["when"].lower(), 0)
    if match["period"] == "week":
        year, week, _ = (anchor + dt.timedelta(weeks=offset)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if match["period"] == "month":
        months = anchor.year * 12 + anchor.month - 1 + offset
        return _iso_month(months // 12, months % 12 + 1)
    return f"{anchor.year + offset:04d}"


_Resolver = Callable[[re.Match[str], dt.date | None], str]
_DATE_RULES: tuple[tuple[re.Pattern[str], _Resolver], ...] = (
    (_MONTH_DAY, _day_date),
    (_DAY_MONTH, _day_date),
    (_ISO_DATE, _day_date),
    (_MONTH_YEAR, _month_year),
    (_MONTH_ONLY, _month_only),
    (_YEAR_ONLY, _year_only),
    (_WEEKDAY, _weekday),
    (_NEAR_WEEKDAY, _weekday),
    (_NEAR_DAY, _near_day),
    (_NEAR_PERIOD, _near_period),
)


def _dates(text: str, start: int, today: dt.date | None) -> list[_Found]:
    found: list[_Found] = []
    for pattern, resolve in _DATE_RULES:
        for match in pattern.finditer(text, start):
            if not _starts_word(text, match.start()):
                continue
            date_start, date_end = match.span("date")
            try:
                found.append(_Found("date", date_start, date_end, resolve(match, today)))
            except _Undated:
                words = " ".join(match["date"].lower().split())
                found.append(_Found("date", date_start, date_end, words, resolved=False))
            except ValueError:
                continue  # not a calendar day, such as "February 30"
    return found


# --- numbers -----------------------------------------------------------------------------

_SPELLED = {
    word: n
    for n, word in enumerate(
        [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen", "twenty",
        ]
    )
}  # fmt: skip
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# Written against the digits, as some papers do: "$3m", "£2.5bn", "$1tn".
_SHORT_SCALES = {"m": 10**6, "bn": 10**9, "tn": 10**12}
_SCALE_AND_PERCENT = (
    rf"(?:\s+(?P<scale>{'|'.join(_SCALES)})\b)?"
    r"(?P<percent>\s?%|\s+percent\b|\s+per\s+cent\b)?"
)
_DIGITS = re.compile(
    r"(?P<digits>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)"
    r"(?:(?P<short_scale>bn|tn|m)\b)?"
    # Not followed by more of a code or a fraction: 9/11, 3.5.2, 10:30, 2-1, 1990s.
    r"(?![\w/@]|[.,:][0-9]|-[0-9])" + _SCALE_AND_PERCENT
)
_SPELLED_NUMBER = re.compile(
    rf"(?P<word>{_capitalised(*sorted(_SPELLED, key=len, reverse=True))})"
    # "one-China", "two-thirds", "twenty-one", "one another" are not counts of their own.
    r"(?![\w-]|\s+another\b)" + _SCALE_AND_PERCENT
)
_CURRENCY_BEFORE = re.compile(r"(?:\b(?:US|A|C|HK|NZ|S))?[$€£¥]$")
# A number right after one of these continues a code or another number: F-15, COVID-19,
# @user1, a URL, 9/11, 10:30, "twenty-one".
_CODE_BEFORE = frozenset("@#/.,:-")
# "no one", "the one who": pronouns, not the number 1.
_PRONOUN_BEFORE = re.compile(r"\b(?:[Nn]o|[Tt]he|[Aa]ny)\s+$")

# The unit is the head noun after the number: the first plural among the next few words
# ("two separate occasions"), or for a count of one the next word ("one soldier").
_NEXT_WORDS = re.compile(r"(?:\s+[a-z]+(?:-[a-z]+)*){1,3}")
_NOT_NOUNS = frozenset(
    [
        "a", "an", "the", "of", "and", "or", "nor", "but", "to", "in", "on", "at", "by",
        "for", "from", "with", "as", "than", "that", "this", "these", "those", "is", "was",
        "were", "are", "be", "been", "being", "has", "have", "had", "its", "his", "her",
        "their", "our", "who", "which", "more", "less",
    ]
)  # fmt: skip
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women"})


def _numbers(text: str, start: int) -> list[_Found]:
    found: list[_Found] = []
    for match in _DIGITS.finditer(text, start):
        currency = _CURRENCY_BEFORE.search(text, max(start, match.start() - 3), match.start())
        begin = currency.start() if currency else match.start()
        # "3m" is a million only as money; "a 3m wall" is metres, which are not read.
        if not _starts_clean(text, begin) or (match["short_scale"] == "m" and not currency):
            continue
        amount = Decimal(match["digits"].replace(",", ""))
        if match["short_scale"]:
            amount *= _SHORT_SCALES[match["short_scale"]]
        found.append(_number(text, begin, match, amount, currency[0] if currency else None))
    for match in _SPELLED_NUMBER.finditer(text, start):
        begin = match.start()
        if _starts_clean(text, begin) and not _PRONOUN_BEFORE.search(
            text, max(start, begin - 5), begin
        ):
            amount = Decimal(_SPELLED[match["word"].lower()])
            found.append(_number(text, begin, match, amount, None))
    return found


def _starts_clean(text: str, begin: int) -> bool:
    return _starts_word(text, begin) and (begin == 0 or text[begin - 1] not in _CODE_BEFORE)


def _number(
    text: str, begin: int, match: re.Match[str], amount: Decimal, currency: str | None
) -> _Found:
    if match["scale"]:
        amount *= _SCALES[match["scale"]]
    if match["percent"]:
        unit: str | None = "%"
    elif currency:
        unit = currency
    else:
        unit = _unit_after(text, match.end(), singular=amount == 1)
    return _Found("number", begin, match.end(), _plain(amount), unit)


def _plain(amount: Decimal) -> str:
    """Digits without exponent or trailing zeros: 3000000, 1.5, 0.5."""
    digits = f"{amount:f}"
    return digits.rstrip("0").rstrip(".") if "." in digits else digits


def _unit_after(text: str, end: int, *, singular: bool) -> str | None:
    words = _NEXT_WORDS.match(text, end)
    nouns: list[str] = []
    for word in words.group().split() if words else []:
        if word in _NOT_NOUNS:
            break
        nouns.append(word)
    if singular:
        return nouns[0] if nouns else None
    return next((word for word in nouns if _looks_plural(word)), None)


def _looks_plural(word: str) -> bool:
    if word in _IRREGULAR_PLURALS:
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


# --- places ------------------------------------------------------------------------------

_PLACES_FILE = Path(__file__).with_name("data") / "places.txt"


def _load_gazetteer() -> tuple[dict[str, str | None], frozenset[str], dict[str, str]]:
    """Each name in data/places.txt -> its canonical name, or None for a known non-place; the
    canonical names of the countries (the file's first section); and each place's parent, the
    smallest listed place that contains it (``Naha > Okinawa``)."""
    names: dict[str, str | None] = {}
    countries: set[str] = set()
    parents: dict[str, str] = {}
    section = ""
    for line in _PLACES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("## "):
            section = line
        if not line or line.startswith("#"):
            continue
        if line.startswith("!"):
            names[line[1:].strip()] = None
            continue
        line, _, parent = line.partition(">")
        aliases = [name.strip() for name in line.split("|")]
        names.update(dict.fromkeys(aliases, aliases[0]))
        if parent.strip():
            parents[aliases[0]] = parent.strip()
        if section.startswith("## Countries"):
            countries.add(aliases[0])
    return names, frozenset(countries), parents


_GAZETTEER, _COUNTRIES, _PARENTS = _load_gazetteer()


def is_country(place: str) -> bool:
    """Whether a place value names a country or territory (as opposed to a city, region or
    sea): a country is as often an actor in a sentence as a location."""
    return place in _COUNTRIES


def place_lineage(place: str) -> tuple[str, ...]:
    """The place and every listed place that contains it, smallest first: ``Naha``,
    ``Okinawa``, ``Japan``. A place the gazetteer gives no parent stands alone."""
    lineage = [place]
    while lineage[-1] in _PARENTS and _PARENTS[lineage[-1]] not in lineage:
        lineage.append(_PARENTS[lineage[-1]])
    return tuple(lineage)


_PLACE = re.compile(
    # Longest name first, so "South China Sea" wins over "China".
    rf"(?P<name>{'|'.join(map(re.escape, sorted(_GAZETTEER, key=len, reverse=True)))})"
    r"(?!\w)"
    # A ship named for a place ("the Liaoning aircraft carrier") is not that place.
    r"(?!\s+(?:aircraft\s+)?carrier\b)"
)
# "south-east of Okinawa": the direction belongs to the place's text.
_DIRECTION_BEFORE = re.compile(r"\b(?i:(?:north|south)(?:-?(?:east|west))?|east|west)\s+of\s+$")


def _places(text: str, start: int) -> list[_Found]:
    found: list[_Found] = []
    for match in _PLACE.finditer(text, start):
        begin = match.start()
        canonical = _GAZETTEER[match["name"]]
        if canonical is None or not _starts_word(text, begin):
            continue
        direction = _DIRECTION_BEFORE.search(text, max(start, begin - 20), begin)
        found.append(
            _Found("place", direction.start() if direction else begin, match.end(), canonical)
        )
    return found
