"""The public column (政府信息公开专栏): the citizen's pages, feeds, the JSON API
and CSV, sitemaps, and the page cache in front of them. Uses the core; never
another package (docs/architecture.md)."""
