"""The one rule for "same engagement": two reports of an action (from one document or two) are
one occasion when the evidence adds up. Pure: the answer depends on the two reports only, so
ingest order and batching cannot change it."""
from __future__ import annotations

import datetime as dt
import sys
from array import array
from dataclasses import dataclass, field, fields
from functools import cache, cached_property, lru_cache
from operator import attrgetter

import numpy as np

from ..knowledge import load
from ..types.date import is_day_alone, span
from .dates import date_fit, year
from .keys import fold, participant_keys


@dataclass(frozen=True, slots=True)  # slots: a store keeps hundreds of thousands in its caches
class Report:
    """One extracted action with the context of the document that reports it."""
    type: str
    date: str | None
    taiwan: frozenset[str] = frozenset()  # participant keys
    counterparts: frozenset[str] = frozenset()
    partners: frozenset[str] = frozenset()
    initiatives: frozenset[str] = frozenset()  # folded names
    gist: str = ""  # folded headline + lead
    prominent: bool = True  # found in the headline or lead, not in passing
    counterpart_persons: frozenset[str] = frozenset()  # the keys of counterparts that are persons
    document_level: bool = False  # the document's headline and lead, where no action was extracted
    bodies: frozenset[str] = frozenset()  # foreign side's bodies: named, or the affiliation of a person
    published: str | None = None  # an undated report's publication day: its occasion is shortly before
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        """The fields' hash, computed once: a report is hashed for every pair the store scores."""
        found = self._hash
        if found is None:
            found = hash(self._values())
            object.__setattr__(self, "_hash", found)
        return found

    def __reduce__(self):
        """Pickled without the cached hash: another process hashes strings with another seed."""
        return Report, self._values()

    def _values(self) -> tuple:
        return _report_values(self)


# every compared field in order (the cached hash aside): a new field joins the hash and the pickle
_report_values = attrgetter(*(f.name for f in fields(Report) if f.compare))


@dataclass(frozen=True)  # shared: the store keeps the verdicts of pairs it scores again
class Verdict:
    score: float
    signals: list[str] = field(default_factory=list)

    # plain properties: most verdicts are asked once, and a cached_property's first read (a lock
    # on Python 3.11) cost 2.9 µs against 0.4 (at 100,000 documents a document's 230 pairs)
    @property
    def same(self) -> bool:
        return self.score >= rules()["threshold"]

    @property
    def borderline(self) -> bool:
        return rules()["borderline"] <= self.score < rules()["threshold"]

    def reason(self) -> str:
        return self._reason

    @cached_property  # a shared verdict's reason is written once per link
    def _reason(self) -> str:
        return "; ".join(self.signals) + f" (score {self.score:.1f})"


@cache
def rules() -> dict:
    return dict(load("resolve"))  # a plain dict: read for every pair of reports scored


def make_report(type_: str, date: str | None, taiwan: list[str], counterparts: list[str], partners: list[str],
                initiatives: list[str], headline: str, lead: str, prominent: bool, persons: set[str],
                document_level: bool = False, affiliations: dict[str, str] | None = None,
                published: str | None = None) -> Report:
    """affiliations: the body each counterpart person belongs to, where the extraction knows it
    (one outlet names the person, another only the body)."""
    bodies = [n for n in counterparts if n not in persons] + [b for n, b in (affiliations or {}).items()
                                                              if n in counterparts]
    return Report(type_, date, _keys(taiwan), _keys(counterparts), shared_set(partners),
                  shared_set([fold(i) for i in initiatives]), sys.intern(fold(headline + lead)), prominent,
                  _keys([n for n in counterparts if n in persons]), document_level, _keys(bodies),
                  published if not date and published and len(published) == 10 else None)


def _keys(names: list[str]) -> frozenset[str]:
    return shared_set([k for n in names for k in participant_keys(n)])


_EMPTY: frozenset[str] = frozenset()


def shared_set(values: list[str]) -> frozenset[str]:
    """VALUES as a frozenset of interned strings, and every empty one the same object: the store
    caches reports by the hundred thousand, most of their sets are empty (216 bytes each), and
    the same names and headlines recur in the reports of one document and of its reposts."""
    return frozenset(map(sys.intern, values)) if values else _EMPTY


def index_keys(r: Report) -> set[str]:
    """Keys under which a report is found as a candidate: each participant and initiative with a
    date bucket (its day, month or year as precise as known, --MM for a day without a year,
    ~YYYY-MM for an undated report published that month, empty when nothing dates it). A report
    in passing has none: the rule never links it."""
    if not r.prominent:
        return set()
    date = r.date or ""
    bucket = "" if is_day_alone(date) else date[:4] if date.startswith("--") else date
    if r.published:  # undated in a dated document: under its publication month
        bucket = "~" + r.published[:7]
    return {f"{k}@{bucket}" for k in base_keys(r)}


def probe_keys(r: Report) -> tuple[set[str], set[str]]:
    """(exact keys, key prefixes) that find every stored report whose date may fit this one's and
    that the rule may link: a day looks at the neighbouring days, their months and years, and the
    undated bucket; a month or a year also at every day within it. A report in passing looks for
    none: the rule never links it."""
    if not r.prominent:
        return set(), set()
    date = r.date
    if r.published:  # the days before its publication, through the rarer keys (see same_engagement)
        return _near_publication(r), set()
    if not date or is_day_alone(date):  # no month or year: only through the rarer keys (see same_engagement)
        return set(), {f"{base}@" for base in foreign_keys(r)}
    if date.startswith("--"):  # a day without a year (rare) looks through every year
        return set(), {f"{base}@" for base in base_keys(r)}
    # the undated bucket only through the rarer keys: an undated report needs one of them shared
    # (same_engagement), and a Taiwanese official's undated reports pile up over the years
    # (and, by their publication month, those published within the window after this date)
    undated = {f"{base}@{b}" for base in foreign_keys(r) for b in _undated_buckets(date)}
    if len(date) < 10:
        return ({f"{base}@{date[:4]}" for base in base_keys(r)} | undated,
                {f"{base}@{date}" for base in base_keys(r)})
    day = dt.date.fromisoformat(date)
    near = [(day + dt.timedelta(days=n)).isoformat() for n in (-1, 0, 1)]
    buckets = {b for d in near for b in (d, d[:7], d[:4], "--" + d[5:7])}
    return {f"{base}@{b}" for base in base_keys(r) for b in buckets} | undated, set()


def _undated_buckets(date: str) -> set[str]:
    """Buckets of the undated reports DATE may fit: those with no date at all, and those published
    in the window after it (by month)."""
    first, last = span(date)
    window = rules()["undated_window_days"]
    return {"", *("~" + m for m in _months(first - dt.timedelta(days=1), last + dt.timedelta(days=window)))}


def _near_publication(r: Report) -> set[str]:
    """Exact keys for an undated report published on r.published: days of the window before it
    (their months and years), the undated reports published near it, and those with no date."""
    published = dt.date.fromisoformat(r.published)
    window = rules()["undated_window_days"]
    days = [(published + dt.timedelta(days=n)).isoformat() for n in range(-window - 1, 2)]
    buckets = {b for d in days for b in (d, d[:7], d[:4], "--" + d[5:7])}
    buckets |= {""} | {"~" + m for m in _months(published - dt.timedelta(days=window + 1),
                                                  published + dt.timedelta(days=window + 1))}
    return {f"{base}@{b}" for base in foreign_keys(r) for b in buckets}


def _months(first: dt.date, last: dt.date) -> list[str]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day.isoformat()[:7])
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


@lru_cache(maxsize=50_000)  # a stored report is scored against every new candidate
def foreign_keys(r: Report) -> frozenset[str]:
    """Keys of the foreign side and of initiatives: rarer than a Taiwanese official's name."""
    return shared_set([*("p:" + k for k in r.counterparts | r.bodies), *("i:" + k for k in r.initiatives)])


@lru_cache(maxsize=50_000)
def base_keys(r: Report) -> frozenset[str]:
    return shared_set([*("p:" + k for k in r.taiwan | r.counterparts | r.bodies), *("i:" + k for k in r.initiatives)])


def same_engagement(a: Report, b: Report, floor: float | None = None) -> Verdict:
    """The evidence that a and b report one occasion; a score of -inf when they cannot. With FLOOR,
    a pair that cannot reach it however alike its headlines are is answered without comparing them:
    its score is then the most it could reach (below FLOOR), and its last signal says so."""
    if not base_keys(a) & base_keys(b):  # first: the cheapest test, and most candidates fail it
        return Verdict(float("-inf"), ["no shared participant or initiative"])
    fit = date_fit(a.date, b.date)
    if fit is None or (year(a.date) and year(b.date) and year(a.date) != year(b.date)):
        return Verdict(float("-inf"), [f"dates {a.date} and {b.date} are different occasions"])
    if not _near_in_time(a, b) or not _near_in_time(b, a):
        return Verdict(float("-inf"), [f"an undated report published {a.published or b.published} is of "
                                       f"another time than {b.date or b.published or a.date or a.published}"])
    if not (a.prominent and b.prominent):  # never merge on a passing mention
        return Verdict(float("-inf"), ["a report mentions it in passing"])
    if not (_placed(a.date) and _placed(b.date)) and not foreign_keys(a) & foreign_keys(b):
        return Verdict(float("-inf"), ["undated, and no shared counterpart or initiative"])
    w = rules()["weights"]
    score, signals = _evidence(a, b, fit, w)
    # comparing the headlines costs most of a pair's time, and at scale most candidates fall
    # short of the floor whatever it gives (a year or a month against a day, other counterparts)
    if floor is not None and score + w["gist_cap"] < floor:
        return Verdict(score + w["gist_cap"], signals + [f"at most {w['gist_cap']} more from the headlines"])
    similarity = gist_similarity(a.gist, b.gist)
    if (a.document_level or b.document_level) and similarity < rules()["document_level_gist"]:
        return Verdict(float("-inf"), ["a headline and lead only, not alike enough"])
    if fit[0] == "day_alone" and similarity < w["gist_unrelated"]:  # the same officials meet often
        return Verdict(float("-inf"), ["a day of the month alone, and the stories are unrelated"])
    if a.gist and b.gist:
        score += min(w["gist_cap"], max(w["gist_floor"], w["gist"] * (similarity - w["gist_unrelated"])))
        signals.append(f"headline/lead similarity {similarity:.2f}")
    return Verdict(score, signals)


def _evidence(a: Report, b: Report, fit: tuple[str, str], w: dict) -> tuple[float, list[str]]:
    """The score and signals of everything but the headlines' likeness."""
    signals, score = [], 0.0
    kind, note = fit
    score += w[f"date_{kind}"]
    signals.append(f"date {note}" + (" (year only)" if kind == "vague" else ""))
    score += _shared(a.counterparts & b.counterparts, w["counterpart"], w["counterpart_cap"], "counterpart", signals)
    bodies = (a.bodies & b.bodies) - (a.counterparts & b.counterparts)
    if bodies:
        score += w["body"]
        signals.append("shared counterpart body " + ", ".join(sorted(bodies)))
    elif a.counterpart_persons and b.counterpart_persons and not a.counterparts & b.counterparts:
        score += w["counterpart_clash"]
        signals.append("counterparts differ")
    score += _shared(a.taiwan & b.taiwan, w["taiwan"], w["taiwan_cap"], "Taiwan side", signals)
    score += _partners(a, b, w, signals)
    if a.initiatives & b.initiatives:
        score += w["initiative"]
        signals.append("initiative " + ", ".join(sorted(a.initiatives & b.initiatives)))
    if a.type == b.type:
        score += w["same_action"]
        signals.append(f"both {a.type}")
    return score, signals


def _near_in_time(a: Report, b: Report) -> bool:
    """An undated report published on a day tells an occasion of the window before it
    (undated_window_days, a day of time zones after): B's date, or B's own window, must meet it."""
    if not a.published:
        return True
    published = dt.date.fromisoformat(a.published)
    window = rules()["undated_window_days"]
    first, last = published - dt.timedelta(days=window), published + dt.timedelta(days=1)
    if b.published:
        other = dt.date.fromisoformat(b.published)
        return other - dt.timedelta(days=window) <= last and first <= other + dt.timedelta(days=1)
    if not b.date or is_day_alone(b.date):
        return True  # nothing places B in time
    if b.date.startswith("--"):  # a day without a year: a day of the window in any year
        days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        return any(d.isoformat()[4:] == b.date[1:] for d in days)
    start, end = span(b.date)
    return start <= last and first <= end


def _placed(date: str | None) -> bool:
    """A date with a month or a year (a day of the month alone places nothing in time)."""
    return bool(date) and not is_day_alone(date)


def _shared(keys: frozenset[str], weight: float, cap: float, label: str, signals: list[str]) -> float:
    if not keys:
        return 0.0
    signals.append(f"shared {label} {', '.join(sorted(keys))}")
    return min(cap, weight * len(keys))


def _partners(a: Report, b: Report, w: dict, signals: list[str]) -> float:
    if not a.partners or not b.partners:
        return 0.0
    shared = a.partners & b.partners
    if shared:
        signals.append("partner " + " ".join(sorted(shared)))
        return w["partner"]
    signals.append(f"partners differ ({' '.join(sorted(a.partners))} / {' '.join(sorted(b.partners))})")
    return w["partner_clash"]


@lru_cache(maxsize=20_000)  # the actions of two documents share their gists: computed once per pair
def gist_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the character bigrams of two folded headline+lead texts."""
    x, y = _bigram_codes(a), _bigram_codes(b)
    if not x or not y:
        return 0.0
    shared = len(_bigram_set(b).intersection(x))
    return shared / (len(x) + len(y) - shared)


@lru_cache(maxsize=20_000)
def _bigram_codes(text: str) -> array:
    """A gist's distinct bigrams, each as one number (two code points), in 8 bytes each: a stored
    report's gist is compared with every new candidate, so they are cached, and as a set they took
    about 15 kB a gist (300 MB in the cache at 100,000 documents), as an array 1 to 2 kB."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    # numpy: a set built in Python took most of the merge's time on a cache miss (5 times as long)
    return array("Q", np.unique((codes[:-1] << 21) | codes[1:]).tobytes())


@lru_cache(maxsize=256)  # b: the new report's gist, which the store compares with each of its candidates in turn
def _bigram_set(text: str) -> frozenset[int]:
    return frozenset(_bigram_codes(text))
