"""Kept for imports: resolution lives in ties.resolve."""
from ..resolve.dates import date_sort, dates_compatible  # noqa: F401
from ..resolve.keys import name_key  # noqa: F401
from ..resolve.text import NEAR_DUPLICATE_DISTANCE, bands, hamming, has_real_text, simhash, text_hash  # noqa: F401
