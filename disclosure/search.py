"""Chinese full-text search over the public records, the same on PostgreSQL and
SQLite.

Neither database segments Chinese (PostgreSQL's parser sees a whole sentence
as one word), so the text is tokenised here, in Python, when a record is saved,
and stored as space-separated tokens in ``PublicRecord.title_tokens`` and
``PublicRecord.search_tokens``. The databases only index those tokens:

- PostgreSQL: generated ``tsvector`` columns, ``to_tsvector('simple', <tokens>)``,
  with GIN indexes (migration 0003), queried with ``to_tsquery('simple', …)``;
- SQLite: an FTS5 table over the two columns (migration 0003), kept in step
  by triggers, queried with ``MATCH``.

Tokens (:func:`tokenize`), after NFKC normalisation (full-width → half-width)
and lower-casing:

- a run of Chinese characters gives its overlapping bigrams plus its last
  character alone: ``涉农补贴`` → ``涉农 农补 补贴 贴``. Every character thus
  starts at least one token, so a one-character query is a prefix query
  (``补:*`` / ``"补" *``) that finds every occurrence, including one at the end
  of a run; a two-character query is one exact token; a longer one is a
  phrase of consecutive bigrams (``'涉农' <-> '农补' <-> '补贴'``);
- a run of other letters and digits is one token: ``2026``, ``pdf``;
- everything else (punctuation, symbols, spaces) separates tokens.

A query is normalised the same way and capped at :data:`MAX_QUERY_LENGTH`
characters; words separated by spaces must all match (AND); within a word the
tokens are a phrase. Ranking is by tiers an index can serve (FACTS.md): records
whose title matches, newest first, then the others, newest first.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.db import NotSupportedError
from django.db.models import BooleanField, Expression, F
from django.utils.safestring import SafeString, mark_safe

from .sanitize import html_to_text

#: Longest query kept, in characters (after normalisation).
MAX_QUERY_LENGTH = 100
#: Longest latin/digit token kept (longer words are cut).
MAX_WORD_LENGTH = 40

#: The SQLite FTS5 table (migration 0003).
FTS_TABLE = "disclosure_record_fts"

_HAN = (
    "\u3007"  # 〇
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\U00020000-\U0003134f"  # CJK Extensions B-G
)
_PIECE_RE = re.compile(rf"(?P<cjk>[{_HAN}]+)|(?P<word>(?:(?![{_HAN}])[^\W_])+)")


def normalize(text: str) -> str:
    """NFKC (full-width letters, digits and punctuation become half-width) and
    lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _pieces(normalized: str) -> list[tuple[str, bool]]:
    """(piece, is_cjk) for each run of Chinese characters or of other letters
    and digits, in order."""
    return [
        (match.group(), match.group("cjk") is not None)
        for match in _PIECE_RE.finditer(normalized)
    ]


def tokenize(text: str) -> list[str]:
    """The index tokens of a text (see the module docstring)."""
    tokens: list[str] = []
    for piece, is_cjk in _pieces(normalize(text)):
        if is_cjk:
            tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
            tokens.append(piece[-1])
        else:
            tokens.append(piece[:MAX_WORD_LENGTH])
    return tokens


def token_string(*texts: str) -> str:
    return " ".join(token for text in texts for token in tokenize(text))


def record_tokens(record) -> tuple[str, str]:
    """``(title_tokens, search_tokens)`` of a public record: the title alone,
    and everything searched (title, document number, keywords, index number,
    body text)."""
    title = token_string(record.title)
    others = token_string(record.doc_number, record.keywords, record.index_number or "")
    body = token_string(html_to_text(record.body))
    return title, " ".join(part for part in (title, others, body) if part)


# --- queries --------------------------------------------------------------------


def clean_query(raw: str | None) -> str:
    """The query as searched: normalised, punctuation, symbols and control
    characters replaced by spaces, whitespace collapsed, capped. SQL or HTML in
    the input is just text (its punctuation separates words)."""
    text = normalize((raw or "")[: MAX_QUERY_LENGTH * 4])
    out: list[str] = []
    position = 0
    for match in _PIECE_RE.finditer(text):
        if match.start() > position:
            out.append(" ")
        out.append(match.group())
        position = match.end()
    return " ".join("".join(out).split())[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True)
class Token:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: ``terms`` must all match; each term is a phrase of
    tokens."""

    text: str
    terms: tuple[tuple[Token, ...], ...]

    def __bool__(self):
        return bool(self.terms)

    @property
    def pieces(self) -> list[str]:
        """The runs of characters to highlight, longest first."""
        found = {piece for piece, _is_cjk in _pieces(self.text)}
        return sorted(found, key=lambda piece: (-len(piece), piece))

    @property
    def has_phrase(self) -> bool:
        return any(len(term) > 1 for term in self.terms)

    def tsquery(self, *, phrase: bool = True) -> str:
        """The query for PostgreSQL's ``to_tsquery('simple', …)``.
        ``phrase=False``: every token anywhere (``&``), which the GIN index
        answers without rechecking positions in each row: a superset, for
        estimates."""
        joint = " <-> " if phrase else " & "
        return " & ".join(
            "(" + joint.join(_ts_token(token) for token in term) + ")"
            for term in self.terms
        )

    def fts5(self, column: str) -> str:
        """The query for SQLite FTS5 ``MATCH``, restricted to ``column``."""
        phrases = []
        for term in self.terms:
            words = " ".join(token.text for token in term)
            star = " *" if term[-1].prefix else ""
            phrases.append(f'"{words}"{star}')
        return f"{{{column}}} : ({' AND '.join(phrases)})"


def _ts_token(token: Token) -> str:
    escaped = token.text.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'" + (":*" if token.prefix else "")


def _term_tokens(term: str) -> tuple[Token, ...]:
    """A query word's tokens: as :func:`tokenize`, except that the last run of
    Chinese characters does not end with its lone last character (the text may
    go on after it), and a lone last character is a prefix."""
    pieces = _pieces(term)
    tokens: list[Token] = []
    for index, (piece, is_cjk) in enumerate(pieces):
        last = index == len(pieces) - 1
        if not is_cjk:
            tokens.append(Token(piece[:MAX_WORD_LENGTH]))
        elif len(piece) == 1:
            tokens.append(Token(piece, prefix=last))
        else:
            tokens.extend(Token(piece[i : i + 2]) for i in range(len(piece) - 1))
            if not last:
                tokens.append(Token(piece[-1]))
    return tuple(tokens)


def parse(raw: str | None) -> SearchQuery:
    """Parse what a user typed. An empty result (``not query``) means there
    is nothing to search for."""
    text = clean_query(raw)
    terms = []
    for word in dict.fromkeys(text.split()):  # drop repeated words, keep order
        tokens = _term_tokens(word)
        if tokens:
            terms.append(tokens)
    return SearchQuery(text=text, terms=tuple(terms))


class TokensMatch(Expression):
    """``<column> matches <query>`` as a boolean expression usable in
    ``.filter()`` and ``.exclude()``: on PostgreSQL through the generated
    ``tsvector`` column and its GIN index; on SQLite through the FTS5 table."""

    conditional = True
    output_field = BooleanField()

    def __init__(
        self,
        column: str,
        query: SearchQuery,
        *,
        phrase: bool = True,
        indexed: bool = True,
    ):
        super().__init__()
        if column not in ("title_tokens", "search_tokens"):
            raise ValueError(f"not a search column: {column}")
        if not query:
            raise ValueError("empty search query")
        self.column = column
        self.query = query
        self.phrase = phrase  # False: PostgreSQL only, see SearchQuery.tsquery
        # False: PostgreSQL checks each row's vector instead of using the GIN
        # index (for a few thousand rows known beforehand: selectors.RecentWindow).
        self.indexed = indexed
        self.source = F(column)
        self.pk = F("pk")

    def get_source_expressions(self):
        return [self.source, self.pk]

    def set_source_expressions(self, exprs):
        self.source, self.pk = exprs

    def as_sql(self, compiler, connection):
        raise NotSupportedError(f"search is not supported on {connection.vendor}")

    def as_postgresql(self, compiler, connection):
        # The generated tsvector column next to the token column, on the same
        # table alias (migration 0003).
        alias = compiler.quote_name_unless_alias(self.source.alias)
        vector = f"{alias}.{connection.ops.quote_name(PG_VECTORS[self.column])}"
        if not self.indexed:
            vector = f"COALESCE({vector}, ''::tsvector)"  # matches no index
        sql = f"{vector} @@ to_tsquery('simple'::regconfig, %s)"
        return sql, (self.query.tsquery(phrase=self.phrase),)

    def as_sqlite(self, compiler, connection):
        pk_sql, params = compiler.compile(self.pk)
        # Only the query string is user input, and it is a parameter.
        sql = f"{pk_sql} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
        return sql, (*params, self.query.fts5(self.column))


# --- highlighting -------------------------------------------------------------------


_ONE_TO_ONE: dict[str, bool] = {}


def _one_to_one(char: str) -> bool:
    """Whether ``char`` normalises to exactly one character (memoised)."""
    known = _ONE_TO_ONE.get(char)
    if known is None:
        known = _ONE_TO_ONE[char] = len(normalize(char)) == 1
    return known


def _normalized_with_map(text: str) -> tuple[str, list[int] | None]:
    """The normalised text and, for each of its characters, the index of the
    original character it came from; ``None`` when that is its own index
    (every character normalises to one, the usual case: an item's body is
    normalised at C speed instead of character by character)."""
    normalized = normalize(text)
    if len(normalized) == len(text) and all(map(_one_to_one, set(text))):
        return normalized, None
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        normalized = normalize(char)
        out.append(normalized)
        origin.extend([index] * len(normalized))
    return "".join(out), origin


def _match_spans(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    pieces = query.pieces if query else []
    if not pieces or not text:
        return []
    normalized, origin = _normalized_with_map(text)
    pattern = re.compile("|".join(re.escape(piece) for piece in pieces))
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(normalized):
        if origin is None:
            start, end = match.span()
        else:
            start, end = origin[match.start()], origin[match.end() - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def highlight(text: str, query: SearchQuery) -> SafeString:
    """``text`` escaped, with the query's words wrapped in ``<mark>``."""
    text = text or ""
    out: list[str] = []
    position = 0
    for start, end in _match_spans(text, query):
        out.append(html.escape(text[position:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        position = end
    out.append(html.escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every part is escaped above


def excerpt(text: str, query: SearchQuery, length: int = 120) -> SafeString:
    """A highlighted extract of ``text`` around the first match (or its
    beginning), about ``length`` characters long."""
    text = text or ""
    spans = _match_spans(text, query)
    start = max(0, spans[0][0] - length // 4) if spans else 0
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    extract = highlight(text[start:end], query)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + extract + suffix)  # noqa: S308 - escaped by highlight


# --- the database objects (migration 0003) ------------------------------------------

#: PostgreSQL: the token columns as stored, generated ``tsvector`` columns
#: (unknown to Django's model state: they fill themselves), with GIN indexes.
#: A stored vector, rather than an index on the expression, keeps the rows
#: the planner filters without the index (newest-first walks, capped counts)
#: from re-parsing every token string. ``fastupdate = off``: records are
#: written a few at a time, and without a pending list the planner's cost of
#: the index stays true between vacuums.
PG_VECTORS = {"title_tokens": "title_vector", "search_tokens": "search_vector"}
PG_CREATE = [
    statement
    for column, vector in PG_VECTORS.items()
    for statement in (
        f"ALTER TABLE disclosure_publicrecord ADD COLUMN IF NOT EXISTS {vector} "
        f"tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('simple'::regconfig, {column})) STORED",
        f"CREATE INDEX IF NOT EXISTS record_{vector}_gin "
        f"ON disclosure_publicrecord USING gin ({vector}) WITH (fastupdate = off)",
    )
]
PG_DROP = [
    statement
    for vector in PG_VECTORS.values()
    for statement in (
        f"DROP INDEX IF EXISTS record_{vector}_gin",
        f"ALTER TABLE disclosure_publicrecord DROP COLUMN IF EXISTS {vector}",
    )
]

SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(
        title_tokens, search_tokens,
        content='disclosure_publicrecord', content_rowid='item_id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS {fts}_insert
    AFTER INSERT ON disclosure_publicrecord BEGIN
        INSERT INTO {fts}(rowid, title_tokens, search_tokens)
        VALUES (new.item_id, new.title_tokens, new.search_tokens);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS {fts}_delete
    AFTER DELETE ON disclosure_publicrecord BEGIN
        INSERT INTO {fts}(
            {fts}, rowid, title_tokens, search_tokens
        ) VALUES ('delete', old.item_id, old.title_tokens, old.search_tokens);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS {fts}_update
    AFTER UPDATE OF item_id, title_tokens, search_tokens
    ON disclosure_publicrecord BEGIN
        INSERT INTO {fts}(
            {fts}, rowid, title_tokens, search_tokens
        ) VALUES ('delete', old.item_id, old.title_tokens, old.search_tokens);
        INSERT INTO {fts}(rowid, title_tokens, search_tokens)
        VALUES (new.item_id, new.title_tokens, new.search_tokens);
    END
    """,
    "INSERT INTO {fts}({fts}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS {fts}_insert",
    "DROP TRIGGER IF EXISTS {fts}_delete",
    "DROP TRIGGER IF EXISTS {fts}_update",
    "DROP TABLE IF EXISTS {fts}",
]


def install_search_index(apps, schema_editor):
    """Create the search index objects (idempotent; a migration operation)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in PG_CREATE:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement.format(fts=FTS_TABLE))


def uninstall_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in PG_DROP:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement.format(fts=FTS_TABLE))
