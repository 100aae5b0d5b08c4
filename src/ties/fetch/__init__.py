"""Reading the web: polite HTTP fetching (robots.txt, per-host delay, retries, size cap),
feeds and sitemaps expanded to their items, and conditional GET against stored validators."""
