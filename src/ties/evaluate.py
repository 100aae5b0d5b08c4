"""Scoring extraction records against gold annotations (`NAME.gold.json`, ../shared/gold/SCHEMA.md).

The figures and their keys are those of the reference scorer (`shared/tools/score.py`): the same
name folding, the same lenient name match, the same event matching (equal date and one shared
participant) and outcome overlap, so `ties evaluate` and the scorer agree on any folder.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from .types.name import fold as name_fold

GOLD_SUFFIX = ".gold.json"
ENTITY_KEYS = (("persons", True), ("organizations", True), ("countries", False), ("topics", False))
OVERALL_PARTS = ("title_accuracy", "published_accuracy", "text_keep_recall", "persons_f1", "organizations_f1",
                 "countries_f1", "topics_f1", "events_f1", "outcomes_f1")


def fold(value) -> str:
    """The scorer's comparison form: NFKC, no white space, lower case, 臺 as 台."""
    if isinstance(value, dict):
        value = value.get("name") or ""
    return name_fold(str(value or ""))


def folded_names(values) -> list[str]:
    out: list[str] = []
    for value in values or []:
        name = fold(value)
        if name and name not in out:
            out.append(name)
    return out


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


def same_name(a: str, b: str, lenient: bool) -> bool:
    """Equal, or (lenient) one contains the other (2+ chars), or a 3+ char abbreviation of it."""
    if a == b:
        return True
    if not lenient:
        return False
    short, long = sorted((a, b), key=len)
    if len(short) >= 2 and short in long:
        return True
    return len(short) >= 3 and short[0] == long[0] and _is_subsequence(short, long)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: list[str], pred: list[str], lenient: bool = False) -> tuple[list[str], list[str]]:
        """Count one document's list; return (missed gold values, extra predicted values)."""
        used: set[int] = set()
        missed = []
        for g in gold:
            hit = next((i for i, p in enumerate(pred) if i not in used and same_name(g, p, lenient)), None)
            if hit is None:
                self.fn += 1
                missed.append(g)
            else:
                used.add(hit)
                self.tp += 1
        extras = [p for i, p in enumerate(pred) if i not in used]
        self.fp += len(extras)
        return missed, extras

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def participants(event: dict) -> list[str]:
    return folded_names(list(event.get("taiwan_side") or []) + list(event.get("counterparts") or []))


def overlaps(gold_span: str, pred_span: str) -> bool:
    """The predicted span shares a run of at least half the gold span."""
    g, p = fold(gold_span), fold(pred_span)
    if not g or not p:
        return False
    match = SequenceMatcher(None, g, p, autojunk=False).find_longest_match(0, len(g), 0, len(p))
    return match.size >= 0.5 * len(g)


@dataclass
class Tally:
    """Running totals over the documents of one evaluation."""
    counts: dict[str, Counts] = field(default_factory=lambda: {
        k: Counts() for k in ("persons", "organizations", "countries", "topics", "events",
                              "event_partner_countries", "event_participants")})
    title_ok: int = 0
    published_ok: int = 0
    site_ok: int = 0
    kept: int = 0
    keep_total: int = 0
    leaked: int = 0
    leak_total: int = 0
    type_ok: int = 0
    type_total: int = 0
    outcomes_found: int = 0
    outcomes_total: int = 0
    outcomes_predicted: int = 0
    outcomes_predicted_ok: int = 0


def score_document(gold: dict, pred: dict, tally: Tally) -> list[str]:
    """Add one document to the tally; return its log lines (misses and extras)."""
    log: list[str] = []
    tally.title_ok += fold(gold.get("title")) == fold(pred.get("title"))
    tally.published_ok += (gold.get("published") or None) == (pred.get("published") or None)
    tally.site_ok += (gold.get("site") or None) == (pred.get("site") or None)
    _score_text(gold, fold(pred.get("text")), tally, log)
    for key, lenient in ENTITY_KEYS:
        missed, extras = tally.counts[key].add(folded_names(gold.get(key)), folded_names(pred.get(key)), lenient)
        if missed or extras:
            log.append(f"{key}: missed {missed} extra {extras}")
    _score_events(gold.get("events") or [], list(pred.get("events") or []), tally, log)
    return log


def _score_text(gold: dict, text: str, tally: Tally, log: list[str]) -> None:
    for sentence in gold.get("must_contain", []):
        tally.keep_total += 1
        if fold(sentence) in text:
            tally.kept += 1
        else:
            log.append(f"text lost: {sentence[:40]}")
    for chrome in gold.get("must_not_contain", []):
        tally.leak_total += 1
        if fold(chrome) in text:
            tally.leaked += 1
            log.append(f"chrome kept: {chrome[:40]}")


def _matching_event(gold_event: dict, predicted: list[dict], used: set[int]) -> int | None:
    gold_people = participants(gold_event)
    for i, event in enumerate(predicted):
        if i in used or (gold_event.get("date") or None) != (event.get("date") or None):
            continue
        people = participants(event)
        if any(same_name(a, b, True) for a in gold_people for b in people) or (not gold_people and not people):
            return i
    return None


def _score_events(gold_events: list[dict], predicted: list[dict], tally: Tally, log: list[str]) -> None:
    counts, used = tally.counts, set()
    for gold_event in gold_events:
        hit = _matching_event(gold_event, predicted, used)
        gold_outcomes = gold_event.get("outcomes", [])
        tally.outcomes_total += len(gold_outcomes)
        if hit is None:
            counts["events"].fn += 1
            log.append(f"event missed: {gold_event.get('type')} {gold_event.get('date')} {participants(gold_event)}")
            continue
        used.add(hit)
        counts["events"].tp += 1
        event = predicted[hit]
        tally.type_total += 1
        tally.type_ok += gold_event.get("type") == event.get("type")
        counts["event_partner_countries"].add(folded_names(gold_event.get("partner_countries")),
                                              folded_names(event.get("partner_countries")))
        counts["event_participants"].add(participants(gold_event), participants(event), True)
        outcomes = event.get("outcomes") or []
        tally.outcomes_found += sum(any(overlaps(o, p) for p in outcomes) for o in gold_outcomes)
        tally.outcomes_predicted += len(outcomes)
        tally.outcomes_predicted_ok += sum(any(overlaps(p, o) for o in gold_outcomes) for p in outcomes)
    for i, event in enumerate(predicted):
        if i not in used:
            counts["events"].fp += 1
            log.append(f"event extra: {event.get('type')} {event.get('date')} {participants(event)}")


def figures(tally: Tally, documents: int, missing: int, errors: int) -> dict:
    """The scorer's figures, in its order and with its keys."""
    n = documents or 1
    fig: dict = {
        "documents": documents, "missing": missing, "errors": errors,
        "title_accuracy": tally.title_ok / n,
        "published_accuracy": tally.published_ok / n,
        "site_accuracy": tally.site_ok / n,
        "text_keep_recall": tally.kept / tally.keep_total if tally.keep_total else 1.0,
        "text_chrome_leak": tally.leaked / tally.leak_total if tally.leak_total else 0.0,
    }
    events_matched = tally.counts["events"].tp
    for key, counts in tally.counts.items():
        p, r, f1 = counts.prf()
        if key.startswith("event_") and not events_matched:
            p = r = f1 = 0.0  # undefined without a matched event
        fig[f"{key}_precision"], fig[f"{key}_recall"], fig[f"{key}_f1"] = p, r, f1
    fig["event_type_accuracy"] = tally.type_ok / tally.type_total if tally.type_total else 0.0
    recall = tally.outcomes_found / tally.outcomes_total if tally.outcomes_total else 1.0
    precision = (tally.outcomes_predicted_ok / tally.outcomes_predicted if tally.outcomes_predicted
                 else (0.0 if tally.outcomes_total else 1.0))
    fig["outcomes_recall"], fig["outcomes_precision"] = recall, precision
    fig["outcomes_f1"] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    fig["overall"] = (sum(fig[k] for k in OVERALL_PARTS) + 1 - fig["text_chrome_leak"]) / (len(OVERALL_PARTS) + 1)
    return fig


def stem(path: str) -> str:
    """A document's key: its file name up to the first dot (a01.md and a01.gold.json share it)."""
    return Path(str(path)).name.split(".")[0]


def load_gold(folder: Path) -> dict[str, dict]:
    return {p.name[: -len(GOLD_SUFFIX)]: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*" + GOLD_SUFFIX))}


def evaluate(gold: dict[str, dict], records: list[dict]) -> tuple[dict, dict[str, list[str]]]:
    """(figures, log lines per document) for extraction records against gold files by stem."""
    predicted = {stem(r.get("path", "")): r for r in records if stem(r.get("path", "")) in gold}
    tally, logs = Tally(), {}
    for key, gold_doc in gold.items():
        log = score_document(gold_doc, predicted.get(key, {}), tally)
        if key not in predicted:
            log.insert(0, "no output")
        if log:
            logs[key] = log
    errors = sum(bool(r.get("error")) for r in predicted.values())
    return figures(tally, len(gold), len(gold) - len(predicted), errors), logs
