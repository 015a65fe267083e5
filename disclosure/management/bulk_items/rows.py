"""The rows of generated items: what publishing would have written (item,
public record with its search tokens, attachments, index numbers)."""

from __future__ import annotations

import datetime
import random
import secrets

from django.utils import timezone

from disclosure import demo_files
from disclosure.index_numbers import format_index_number
from disclosure.management.bulk_items.directory import (
    Directory,
    Publisher,
    Timeline,
    add_weekdays,
    weekdays_between,
)
from disclosure.management.bulk_items.vocabulary import (
    PARAGRAPHS,
    PROJECT_KINDS,
    QUARTERS,
    SURNAMES,
    TITLES,
    TOWNS,
)
from disclosure.models import IndexSerial, Item, PublicRecord
from disclosure.search import record_tokens

#: The one file every generated attachment points to (a one-page PDF; the
#: name changed when the file became a valid PDF, so no older copy is reused).
SHARED_ATTACHMENT = "attachments/generated/sample-1page.pdf"
MINIMAL_PDF = demo_files.pdf("示例附件", ["（生成的测试数据。）"])


# --- the rows ------------------------------------------------------------------------


class _TokenSource:
    """The attributes :func:`record_tokens` reads, from a record's values."""

    __slots__ = ("title", "doc_number", "keywords", "index_number", "body")

    def __init__(self, values: dict):
        self.title = values["title"]
        self.doc_number = values["doc_number"]
        self.keywords = values["keywords"]
        self.index_number = values["index_number"]
        self.body = values["body"]


class Generator:
    """Makes the rows of the items, deterministic for a seed (apart from the
    attachment tokens, random like real ones).

    :meth:`plan` runs in order, item after item, and decides what needs a
    sequence: the publisher, the time, the kind of document and its document
    number. :meth:`fill` writes the text of a planned item from its own seed;
    it is the expensive part, and runs in the writer threads.
    """

    def __init__(
        self,
        directory: Directory,
        timeline: Timeline,
        rng: random.Random,
        attachment_ratio: float,
        attachment: tuple[int, str],
    ):
        self.directory = directory
        self.timeline = timeline
        self.rng = rng
        self.attachment_ratio = attachment_ratio
        self.attachment_size, self.attachment_sha256 = attachment
        self.doc_serials: dict[tuple[int, int], int] = {}

    def plan(self, index: int) -> dict:
        rng, directory = self.rng, self.directory
        if directory.entries and rng.random() < 0.3:
            entry_id, department_id = rng.choice(directory.entries)
            publisher = directory.by_department[department_id]
        else:
            entry_id = None
            publisher = rng.choice(directory.publishers)
        published_at = self.timeline.at(index, rng.random())
        local = timezone.localtime(published_at)
        pattern, type_code = rng.choice(TITLES)
        doc_number = ""
        if type_code in ("notice", "opinion", "decision", "reply"):
            key = (publisher.department_id, local.year)
            self.doc_serials[key] = self.doc_serials.get(key, 0) + 1
            doc_number = (
                f"{publisher.abbreviation}〔{local.year}〕{self.doc_serials[key]}号"
            )
        attachments = 0
        if rng.random() < self.attachment_ratio:
            attachments = rng.choice([1, 1, 1, 2])
        return {
            "publisher": publisher,
            "entry_id": entry_id,
            "published_at": published_at,
            "local": local,
            "publisher_code": publisher.publisher_code,
            "year": local.year,
            "pattern": pattern,
            "type_code": type_code,
            "doc_number": doc_number,
            "attachments": attachments,
            "seed": rng.getrandbits(64),
        }

    @staticmethod
    def _words(rng: random.Random, publisher: Publisher, local) -> dict:
        towns = rng.sample(TOWNS, 2)
        amount = rng.randint(50, 9000)
        return {
            "subject": rng.choice(publisher.subjects),
            "year": local.year,
            "last_year": local.year - 1,
            "quarter": QUARTERS[(local.month - 1) // 3],
            "town": towns[0],
            "town2": towns[1],
            "project": towns[0] + rng.choice(PROJECT_KINDS),
            "org": publisher.name,
            "amount": amount,
            "amount2": amount * rng.randint(30, 70) // 100,
            "amount3": amount * rng.randint(10, 30) // 100,
            "days": rng.choice([5, 7, 10]),
            "days2": rng.randint(90, 720),
            "years": rng.choice([2, 3, 5]),
            "person": rng.choice(SURNAMES) + rng.choice(["先生", "女士"]),
            "phone": f"{rng.randint(0, 9999):04d}",
        }

    @staticmethod
    def _body(rng: random.Random, words: dict) -> str:
        count = rng.randint(3, 7)
        picked = sorted(rng.sample(range(len(PARAGRAPHS)), count))
        parts = [f"<p>{PARAGRAPHS[i].format(**words)}</p>" for i in picked]
        if rng.random() < 0.3:
            rows = "".join(
                f"<tr><td>{n}</td><td>{town}</td><td>{rng.randint(1, 500)}</td></tr>"
                for n, town in enumerate(rng.sample(TOWNS, rng.randint(2, 5)), 1)
            )
            parts.insert(
                min(2, len(parts)),
                '<table><thead><tr><th scope="col">序号</th>'
                '<th scope="col">街道（乡镇）</th><th scope="col">补贴资金（万元）</th>'
                f"</tr></thead><tbody>{rows}</tbody></table>",
            )
        return "".join(parts)

    def fill(self, plan: dict, item_id: int) -> dict:
        """The values of a planned item, its record and its attachments (by
        attribute name). ``plan["index_number"]`` must be set."""
        rng = random.Random(plan["seed"])  # noqa: S311 - test data
        publisher, local = plan["publisher"], plan["local"]
        published_at = plan["published_at"]
        words = self._words(rng, publisher, local)
        title = plan["pattern"].format(**words)
        formed_on = local.date() - datetime.timedelta(days=rng.randint(1, 30))
        due_on = late = None
        entry_id = plan["entry_id"]
        # Outside the catalog: Art. 26's 20 working days.
        limit = self.directory.entry_days.get(entry_id) if entry_id else 20
        if limit:
            due_on = add_weekdays(formed_on, limit)
            late = weekdays_between(due_on, local.date())
        validity, changed_on = "valid", None
        roll = rng.random()
        if roll < 0.06 and local.date() < self.timeline.today - datetime.timedelta(
            days=400
        ):
            validity = "expired" if roll < 0.04 else "repealed"
            changed_on = local.date() + datetime.timedelta(days=rng.randint(200, 380))
        clerk = rng.choice(publisher.clerk_ids)
        submitted_at = published_at - datetime.timedelta(hours=rng.randint(2, 72))
        content = {
            "department_id": publisher.department_id,
            "catalog_entry_id": entry_id,
            "title": title,
            "body": self._body(rng, words),
            "doc_number": plan["doc_number"],
            "formed_on": formed_on,
            "topic_id": publisher.topic_id,
            "document_type_id": self.directory.document_types.get(plan["type_code"]),
            "keywords": " ".join(dict.fromkeys([words["subject"], words["town"]])),
            "validity": validity,
            "validity_changed_on": changed_on,
        }
        index_number = plan["index_number"]
        item = {
            **content,
            "id": item_id,
            "index_number": index_number,
            "state": Item.State.PUBLISHED.value,
            "due_on": due_on,
            "publish_at": published_at,
            "first_published_at": published_at,
            "late_working_days": late,
            "publication_count": 1,
            "created_by_id": clerk,
            "created_at": submitted_at - datetime.timedelta(days=1),
            "updated_by_id": clerk,
            "updated_at": submitted_at,
            "submitted_by_id": clerk,
            "submitted_at": submitted_at,
        }
        record = {
            **content,
            "item_id": item_id,
            "index_number": index_number,
            "published_at": published_at,
            "updated_at": published_at,
            "status": PublicRecord.Status.LIVE.value,
        }
        # Exactly what PublicRecord.save() stores (refresh_search_tokens).
        record["title_tokens"], record["search_tokens"] = record_tokens(
            _TokenSource(record)
        )
        attachments = [
            {
                "item_id": item_id,
                "token": secrets.token_hex(16),
                "file": SHARED_ATTACHMENT,
                "original_name": f"{title[:40]}（附件{order + 1}）.pdf",
                "extension": "pdf",
                "content_type": "application/pdf",
                "size": self.attachment_size,
                "sha256": self.attachment_sha256,
                "public_sha256": self.attachment_sha256,
                "order": order,
                "in_draft": True,
                "is_published": True,
                "uploaded_by_id": clerk,
                "uploaded_at": submitted_at - datetime.timedelta(hours=1),
            }
            for order in range(plan["attachments"])
        ]
        return {"item": item, "record": record, "attachments": attachments}


def assign_index_numbers(plans: list[dict], using: str) -> None:
    """Give each planned item the next index number of its publisher and
    year, from the IndexSerial counters (locked and advanced in the caller's
    transaction, as ``allocate_index_number`` does)."""
    keys = sorted({(plan["publisher_code"], plan["year"]) for plan in plans})
    serials = IndexSerial.objects.using(using)
    serials.bulk_create(
        [IndexSerial(publisher_code=code, year=year) for code, year in keys],
        ignore_conflicts=True,
    )
    counters = {}
    for counter in serials.select_for_update().filter(
        publisher_code__in={code for code, _year in keys},
        year__in={year for _code, year in keys},
    ):
        counters[(counter.publisher_code, counter.year)] = counter
    for plan in plans:
        counter = counters[(plan["publisher_code"], plan["year"])]
        counter.last_serial += 1
        plan["index_number"] = format_index_number(
            counter.publisher_code, counter.year, counter.last_serial
        )
    serials.bulk_update(list(counters.values()), ["last_serial"])


class RowTemplate:
    """A model's columns in table order with each field's default, to be
    overwritten per row by attribute name."""

    def __init__(self, model):
        fields = model._meta.concrete_fields
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.position = {f.attname: i for i, f in enumerate(fields)}
        self.defaults = [f.get_default() for f in fields]

    def row(self, values: dict) -> list:
        row = list(self.defaults)
        position = self.position
        for name, value in values.items():
            row[position[name]] = value
        return row
