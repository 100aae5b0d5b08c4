"""User-facing errors: one catalogue so messages stay short and consistent."""
from __future__ import annotations


class TiesError(Exception):
    """An error the user can act on; shown as one line, never as a traceback."""


class KnowledgeError(TiesError):
    """A knowledge file (ours or the user's) is broken: every document would be read wrongly, so
    the whole run stops with one line instead of failing document by document."""


class InputError(TiesError):
    """A document could not be read (empty, binary, undecodable, too large)."""


EMPTY = "empty file"
BINARY = "binary file ({kind}), not a text document"
UNDECODABLE = "cannot decode the bytes as text in any known encoding"
TOO_LARGE = "file is {size_mb:.1f} MB, over the {limit_mb:.0f} MB limit (raise it with --max-mb)"
TOO_LARGE_READ = "file is over the {limit_mb:.0f} MB limit (raise it with --max-mb)"
NOT_FOUND = "no such file or folder"
NOT_REGULAR = "{kind}, not a regular file: skipped"
LINK_OUTSIDE = "symbolic link leading outside the folder: skipped"
LINK_LOOP = "symbolic link to a folder already read (a loop): skipped"
NO_TEXT = "no article text found"
BAD_DATE = "front-matter {key} {value!r} is not a date: dropped"
BYTES_REPLACED = "{count} invalid byte(s) in {encoding} text replaced by U+FFFD"
UNREADABLE = "cannot read the file: {reason}"
PARSE_FAILED = "could not parse the document ({kind}: {reason})"
# A failure outside reading names its stage; the reason is cut to its first line.
STAGE_FAILED = "{stage} failed ({kind}: {reason})"
TIMED_OUT = "{stage} took longer than {seconds:g} s: given up"
WORKER_DIED = "the worker process reading it died ({reason})"
