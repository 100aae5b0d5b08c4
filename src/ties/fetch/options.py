"""The command-line options shared by commands that fetch URLs."""
from __future__ import annotations

import functools

import click

from .http import FetchOptions


def fetch_options(func):
    """Adds --ignore-robots, --delay, --timeout and --retries; the command receives `fetch` (FetchOptions)."""
    @functools.wraps(func)
    def wrapper(*args, ignore_robots, delay, timeout, retries, **kwargs):
        options = FetchOptions(ignore_robots=ignore_robots, delay=delay, timeout=timeout, retries=retries)
        return func(*args, fetch=options, **kwargs)

    options = [
        click.option("--ignore-robots", is_flag=True,
                     help="For URLs: fetch even what the site's robots.txt forbids to crawlers."),
        click.option("--delay", type=click.FloatRange(0), default=FetchOptions.delay, show_default=True,
                     help="For URLs: seconds between two requests to one host (a longer robots.txt "
                          "Crawl-delay wins)."),
        click.option("--timeout", type=click.FloatRange(0.1), default=FetchOptions.timeout, show_default=True,
                     help="For URLs: seconds to wait for a server."),
        click.option("--retries", type=click.IntRange(0, 10), default=FetchOptions.retries, show_default=True,
                     help="For URLs: retries, with doubling waits, after HTTP 429 or 5xx."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper
