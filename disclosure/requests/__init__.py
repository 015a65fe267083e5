"""Disclosure on request (依申请公开): the citizens' pages (/requests/: the
application form, tracking, corrections, fee answers, letters) and the
staff's (/workspace/requests/: the register, each request's clock and steps,
replies, the appeals register, tables 三 and 四).

The register's models, the clock, the fees, the steps and the tables are in
the core (``disclosure/models/requests.py``, ``request_clock``,
``request_fees``, ``workflow/requests/``, ``request_tables``): the annual
report counts requests too, and packages never import each other."""
