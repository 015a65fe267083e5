"""The machinery of ``manage.py generate_items`` (bulk published items for
benchmarks and load tests): vocabulary, directory and dates, rows, loading."""
