"""What each knowledge file may hold: its keys and their types, checked when the file is loaded.

As followthemoney declares its model as data and checks it, every file under ties/data (and a
user's file of the same name) is validated against these declarations: an unknown or misspelt
key, a value of the wrong type or an empty word list is an error naming the file and the key, never
a silently disabled rule. Keys ending in `?` are optional.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class SchemaError(ValueError):
    """A knowledge file does not match its declaration; the message names the key path."""


@dataclass(frozen=True)
class Scalar:
    types: tuple[type, ...]
    name: str
    nonempty: bool = True

    def check(self, value, where: str) -> None:
        if not isinstance(value, self.types) or isinstance(value, bool) and bool not in self.types:
            raise SchemaError(f"{where}: expected {self.name}, got {type(value).__name__}")
        if self.nonempty and isinstance(value, str) and not value.strip():
            raise SchemaError(f"{where}: empty {self.name}")


@dataclass(frozen=True)
class ListOf:
    item: object
    nonempty: bool = True

    def check(self, value, where: str) -> None:
        if not isinstance(value, list):
            raise SchemaError(f"{where}: expected a list, got {type(value).__name__}")
        if self.nonempty and not value:
            raise SchemaError(f"{where}: empty list (a rule built from it would match nothing or everything)")
        for i, item in enumerate(value):
            self.item.check(item, f"{where}[{i}]")


@dataclass(frozen=True)
class MapOf:
    value: object

    def check(self, value, where: str) -> None:
        if not isinstance(value, dict) or not value:
            raise SchemaError(f"{where}: expected a non-empty mapping")
        for key, item in value.items():
            STR.check(key, f"{where} key")
            self.value.check(item, f"{where}.{key}")


@dataclass(frozen=True)
class Record:
    fields: dict  # name (with `?` when optional) -> spec

    def keys(self) -> dict[str, tuple[object, bool]]:
        return {k.rstrip("?"): (spec, not k.endswith("?")) for k, spec in self.fields.items()}

    def check(self, value, where: str) -> None:
        if not isinstance(value, dict):
            raise SchemaError(f"{where}: expected a mapping, got {type(value).__name__}")
        known = self.keys()
        for key in value:
            if key not in known:
                raise SchemaError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
        for key, (spec, required) in known.items():
            if key in value:
                spec.check(value[key], f"{where}.{key}")
            elif required:
                raise SchemaError(f"{where}: missing key {key!r}")


STR = Scalar((str,), "a string")
INT = Scalar((int,), "a whole number")
NUMBER = Scalar((int, float), "a number")
BOOL = Scalar((bool,), "true or false")
DATE = Scalar((str, dt.date), "a date")
OPTIONAL_DATE = Scalar((str, dt.date, type(None)), "a date or null")
WORDS = ListOf(STR)
MAYBE_WORDS = ListOf(STR, nonempty=False)

SCHEMAS: dict[str, Record] = {
    "countries": Record({"names": MapOf(WORDS), "short_forms": MapOf(STR), "pair_heads": WORDS, "visit_heads": WORDS}),
    "dates": Record({
        "year_mark": STR, "month_mark": STR, "day_mark": STR, "day_mark_also": STR, "roc_era": WORDS,
        "range_links": WORDS, "range_joiners": WORDS, "day_heads": MapOf(INT), "day_words": MapOf(INT),
        "month_heads": MapOf(INT), "year_heads": MapOf(INT), "year_words": MapOf(INT), "week_words": MapOf(INT),
        "month_words": MapOf(INT), "recent_words": WORDS, "recent_not_after": STR, "local_time_words": WORDS,
        "cn_digits": MapOf(INT), "cn_ten": STR, "cn_contractions": MapOf(STR), "cn_day_not_after": STR,
        "cn_day_not_before": STR, "day_not_before": STR, "years_ago_approx": WORDS, "years_ago_marks": WORDS,
        "month_alone_not_after": STR, "month_alone_not_before": STR,
    }),
    "documents": Record({"page_number_patterns": WORDS, "paragraph_end_chars": STR}),
    "events": Record({
        "triggers": ListOf(Record({"words": WORDS, "type": STR, "mode": STR})),
        "future_markers": WORDS, "past_markers": WORDS, "speech_verbs": WORDS,
        "speech_leads": WORDS, "delegation_words": WORDS, "both_sides_words": WORDS, "same_day_words": WORDS,
        "respectively_words": WORDS, "announcement_words": WORDS, "future_auxiliaries": WORDS, "done_markers": WORDS,
        "history_openers": WORDS, "history_closers": WORDS, "name_quotes": WORDS, "reporter_titles": WORDS,
        "inbound_visit_words": WORDS, "ceremony_words": WORDS, "remote_words": WORDS, "once_markers": WORDS,
        "interview_words": WORDS, "interview_leads": WORDS, "attendance_words": WORDS,
        "invited_actions": WORDS, "lineup_words": WORDS, "word_heads": MapOf(STR),
        "continuation_heads": WORDS, "witness_words": WORDS, "signing_words": WORDS, "witnessed_acts": WORDS,
        "joint_words": WORDS, "copula_words": WORDS, "copula_reports": WORDS,
        "amount_triggers": WORDS, "amount_words": WORDS, "habitual_markers": WORDS, "means_words": WORDS,
        "time_of_day_words": WORDS, "sequence_words": WORDS, "period_openers": WORDS, "period_closers": WORDS,
        "behalf_words": WORDS, "pair_conjunctions": WORDS, "dateline_marks": WORDS, "attributive_marks": WORDS,
        "witness_under_marks": WORDS, "voiced_types": WORDS,
    }),
    "iso_numeric": Record({"numeric_to_alpha2": MapOf(STR)}),
    "names": Record({
        "chinese_surnames": WORDS, "compound_surnames": WORDS, "japanese_surnames": WORDS,
        "name_stoppers": STR, "name_bad_final_chars": STR, "organization_suffixes": WORDS,
        "initiative_suffixes": MapOf(WORDS), "figure_qualifiers": WORDS,
        "figure_multipliers": MapOf(NUMBER), "figure_units": WORDS, "transliteration_chars": STR, "not_given_names": WORDS,
        "name_followers": STR, "clause_chars": STR, "name_left_boundaries": STR, "company_endings": WORDS,
        "byline_words": WORDS, "unit_suffixes": WORDS, "body_suffixes": WORDS, "legal_prefixes": WORDS,
        "latin_org_words": WORDS, "latin_honorifics": WORDS, "transliteration_left_cuts": STR,
        "han_honorific_suffixes": WORDS, "both_script_chars": STR,
    }),
    "persons": Record({
        "list_separators": WORDS, "list_item_joiners": WORDS, "list_enders": WORDS, "list_opener_links": STR,
        "caption_positions": STR, "time_word_heads": STR, "time_word_tails": STR, "time_or_given": STR,
        "japanese_given_joiners": STR, "japanese_given_finals": STR, "deputy_prefixes": STR,
        "credits_after_name": WORDS, "reporter_words": WORDS, "posted_markers": WORDS, "topic_markers": WORDS,
    }),
    "offices": Record({"offices": ListOf(Record({
        "office": STR, "org?": STR, "title": STR, "country?": STR,
        "holders": ListOf(Record({"name": STR, "from": DATE, "to?": OPTIONAL_DATE, "aliases?": WORDS})),
    }))}),
    "organizations": Record({"organizations": ListOf(Record({
        "name": STR, "aliases?": WORDS, "en?": WORDS, "country?": STR, "kind?": STR, "parent?": STR,
        "former?": WORDS,
    })), "clause_words": WORDS, "not_name_words": WORDS, "closing_suffixes": WORDS,
        "country_body_words": WORDS, "company_words": WORDS, "member_words": WORDS, "model_org_suffixes": WORDS,
        "conjunctions": STR, "name_introducers": STR, "pronoun_heads": STR, "unit_non_initials": STR,
        "title_list_joiners": STR, "body_list_joiners": STR, "body_list_enders": STR, "word_marks": STR,
        "not_name_starts": WORDS,
        "not_name_start_patterns": WORDS, "dateline_words": WORDS}),
    "outcomes": Record({"cues": WORDS, "cue_patterns": WORDS, "clause_patterns": WORDS, "clause_end": STR,
                        "next_commitment": WORDS, "comma_cut_after": INT, "hoped_result": WORDS,
                        "partnership_words": WORDS, "partnership_patterns": WORDS, "results_headings": WORDS,
                        "introducing_cues": WORDS}),
    "page_chrome": Record({
        "stop_headings": WORDS, "chrome_phrases": WORDS, "chrome_phrase_max_len": INT, "footer_phrases": WORDS,
        "metadata_labels": WORDS, "publication_date_labels": WORDS, "contact_labels": WORDS,
        "source_url_labels": WORDS, "generic_headings": WORDS, "site_name_hints": WORDS,
        "notice_phrases": WORDS, "notice_max_len": INT, "chrome_lines": WORDS, "counter_labels": WORDS,
        "credit_markers": WORDS, "byline_starts": WORDS, "byline_endings": WORDS,
        "stop_heading_frames": WORDS, "caption_starts": WORDS, "photo_words": WORDS, "credit_verbs": WORDS,
        "photographer_words": WORDS, "credit_date_characters": WORDS, "counter_units": WORDS,
        "glued_site_name_endings": WORDS,
    }),
    "places": Record({"places": ListOf(Record({
        "name": STR, "aliases?": MAYBE_WORDS, "country?": STR, "kind?": STR, "en?": STR, "ambiguous?": BOOL,
    })), "place_suffixes": WORDS, "place_suffix_not_before": WORDS, "place_unit_chars": STR,
        "not_place_endings": WORDS}),
    "titles": Record({
        "titles": ListOf(Record({"title": STR, "kind?": STR, "org?": STR, "long?": STR})),
        "surname_titles": WORDS, "credit_markers": WORDS, "animal_markers": WORDS, "list_openers": WORDS,
    }),
    "resolve": Record({
        "name_tails": WORDS, "name_dots": WORDS, "threshold": NUMBER, "borderline": NUMBER,
        "weights": MapOf(NUMBER), "lead_chars": INT, "document_level_gist": NUMBER, "background_days": INT, "undated_window_days": INT,
        "action_priority": WORDS,
    }),
    "topics": Record({"field_lists": WORDS, "topics": MapOf(Record({"cues": WORDS, "strong?": WORDS}))}),
    "venues": Record({"before_words": WORDS, "not_before_words": WORDS, "after_words": WORDS, "clause_marks": STR}),
}
