"""Oversight for the disclosure office: timeliness, statistics, the quarterly
bulletin (通报), the annual report (``annual/``) and the self-inspection
report, with their staff pages (/workspace/oversight/) and the public pages of
the published annual reports (/reports/annual/, ``public_urls``). Its models
(``models.py``) are registered by ``DisclosureConfig.ready()``. Uses the core;
never another package (docs/architecture.md)."""
