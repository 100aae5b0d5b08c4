"""ties: Taiwan international engagements, extracted from Chinese-language news."""

__version__ = "0.1.0"
