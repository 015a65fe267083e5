"""The annual report (政府信息公开工作年度报告, Regulations Arts. 49-50) in
the 2021 format of the State Council General Office (国办公开办函〔2021〕30号,
DOMAIN.md "Annual report").

This package knows the layout of the three tables, fills what the portal
knows from its data, checks the consistency rules and writes the DOCX.
Views render and save; the rules are here.

- ``layout``: the tables' cells and how they are shown;
- ``measurement``: the figures the portal fills from its data;
- ``forms``: the form the office fills in;
- ``consistency``: the rules that block publication while they fail;
- ``reports``: start, save, refill and publish a report; its deadline;
- ``docx_writer``: the DOCX file.
"""
