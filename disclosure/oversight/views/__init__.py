"""Oversight views, one module per page family: thin, they parse the period,
call the measurements (``disclosure/oversight/``) and render. ``base`` has
what they share (access, the period, DOCX downloads)."""
