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
characters. People do not type spaces: words must all match (AND), and a word
of several Chinese characters matches a text that holds its parts anywhere
(:func:`_word_clauses`: 园林局自查 finds 园林局 … 自查); a quoted phrase
(``"…"``, ``“…”``) must match as written. Ranking is by tiers an index can
serve (FACTS.md, disclosure/public/results.py): the exact phrase in the title,
all words in the title, the exact phrase anywhere, the rest; each newest
first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from django.db import NotSupportedError
from django.db.models import BooleanField, Expression, F

from .sanitize import html_to_text
from .search_index import (  # noqa: F401 - the migrations import them from here
    FTS_TABLE,
    PG_VECTORS,
    install_search_index,
    uninstall_search_index,
)

#: Longest query kept, in characters (after normalisation).
MAX_QUERY_LENGTH = 100
#: Longest latin/digit token kept (longer words are cut).
MAX_WORD_LENGTH = 40

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

#: Quotation marks that ask for an exact phrase (after NFKC normalisation).
_QUOTES = str.maketrans(dict.fromkeys("“”「」『』", '"'))
_QUERY_RE = re.compile(rf'(?P<quote>")|{_PIECE_RE.pattern}')


def clean_query(raw: str | None) -> str:
    """The query as searched: normalised, punctuation, symbols and control
    characters replaced by spaces, whitespace collapsed, capped. Paired
    quotation marks (``"…"``, ``“…”``, ``「…」``) are kept: they ask for an
    exact phrase; an unpaired last one is dropped. SQL or HTML in the input
    is just text (its punctuation separates words)."""
    text = normalize((raw or "")[: MAX_QUERY_LENGTH * 4]).translate(_QUOTES)
    out: list[str] = []
    position = 0
    for match in _QUERY_RE.finditer(text):
        if match.start() > position or match.group("quote"):
            out.append(" ")
        out.append(match.group())
        if match.group("quote"):
            out.append(" ")
        position = match.end()
    cleaned = " ".join("".join(out).split())[:MAX_QUERY_LENGTH]
    if cleaned.count('"') % 2:
        head, _sep, tail = cleaned.rpartition('"')
        cleaned = " ".join(f"{head} {tail}".split())
    # Quotes hug their phrase: ``"自查 报告"``.
    cleaned = re.sub(r'"\s*([^"]*?)\s*"', r'"\1"', cleaned)
    return cleaned.replace('""', "").strip()


@dataclass(frozen=True)
class Token:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Term:
    """One part of a query that must match. ``phrase``: the tokens in a row
    (a quoted phrase, or a single token); otherwise ``clauses``: every clause
    must match, a clause being any one of its tokens."""

    text: str
    tokens: tuple[Token, ...]
    phrase: bool
    clauses: tuple[tuple[Token, ...], ...] = ()

    def as_phrase(self) -> Term:
        return Term(self.text, self.tokens, True)


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: ``terms`` must all match."""

    text: str
    terms: tuple[Term, ...]

    def __bool__(self):
        return bool(self.terms)

    @cached_property  # per query, not per highlighted text (40 a page)
    def pieces(self) -> list[str]:
        """The runs of characters to highlight, longest first: a phrase's
        runs; for a word typed without spaces, its runs and their bigrams."""
        found = set()
        for term in self.terms:
            for piece, is_cjk in _pieces(term.text):
                found.add(piece)
                if is_cjk and not term.phrase:
                    found.update(piece[i : i + 2] for i in range(len(piece) - 1))
        return sorted(found, key=lambda piece: (-len(piece), piece))

    @cached_property
    def pieces_pattern(self) -> re.Pattern | None:
        """A match of a piece at every position (a lookahead), the longest
        first: a word's bigrams overlap (园林局 = 园林 + 林局)."""
        if not self.pieces:
            return None
        pieces = "|".join(re.escape(piece) for piece in self.pieces)
        return re.compile(f"(?=({pieces}))")

    @property
    def has_phrase(self) -> bool:
        """Whether a term needs token positions (a phrase of several tokens)."""
        return any(term.phrase and len(term.tokens) > 1 for term in self.terms)

    @property
    def exact(self) -> SearchQuery:
        """The same query with every word as a phrase: what ranks first."""
        return SearchQuery(self.text, tuple(term.as_phrase() for term in self.terms))

    @property
    def is_exact(self) -> bool:
        """Whether the query already asks for its words as phrases (no word
        typed without spaces that could also match apart)."""
        return all(term.phrase or len(term.tokens) < 2 for term in self.terms)

    def tsquery(self, *, phrase: bool = True) -> str:
        """The query for PostgreSQL's ``to_tsquery('simple', …)``.
        ``phrase=False``: every token anywhere (``&``), which the GIN index
        answers without rechecking positions in each row: a superset, for
        estimates."""
        parts = []
        for term in self.terms:
            if term.phrase:
                joint = " <-> " if phrase else " & "
                parts.append(joint.join(_ts_token(token) for token in term.tokens))
            else:
                parts.append(" & ".join(_ts_clause(clause) for clause in term.clauses))
        return " & ".join(f"({part})" for part in parts)

    def fts5(self, column: str) -> str:
        """The query for SQLite FTS5 ``MATCH``, restricted to ``column``."""
        parts = []
        for term in self.terms:
            if term.phrase:
                words = " ".join(token.text for token in term.tokens)
                star = " *" if term.tokens[-1].prefix else ""
                parts.append(f'"{words}"{star}')
                continue
            for clause in term.clauses:
                options = [
                    f'"{token.text}"' + (" *" if token.prefix else "")
                    for token in clause
                ]
                parts.append(
                    options[0] if len(options) == 1 else f"({' OR '.join(options)})"
                )
        return f"{{{column}}} : ({' AND '.join(parts)})"


def _ts_token(token: Token) -> str:
    escaped = token.text.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'" + (":*" if token.prefix else "")


def _ts_clause(clause: tuple[Token, ...]) -> str:
    if len(clause) == 1:
        return _ts_token(clause[0])
    return "(" + " | ".join(_ts_token(token) for token in clause) + ")"


def _phrase_tokens(term: str) -> tuple[Token, ...]:
    """A phrase's tokens: as :func:`tokenize`, except that the last run of
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


def _word_clauses(word: str) -> tuple[tuple[Token, ...], ...]:
    """What a word typed without spaces requires: each run of letters or
    digits; each lone Chinese character (as a prefix: it starts a token
    wherever it is); and for a longer run of Chinese characters, every
    character covered by one of the run's bigrams that the text contains.
    园林局自查 thus matches a text with 园林局 and 自查 apart (园林, 林局 or
    局自, 自查), not one with only 园林 and 自查."""
    clauses: list[tuple[Token, ...]] = []
    for piece, is_cjk in _pieces(word):
        if not is_cjk:
            clauses.append((Token(piece[:MAX_WORD_LENGTH]),))
        elif len(piece) == 1:
            clauses.append((Token(piece, prefix=True),))
        else:
            bigrams = [Token(piece[i : i + 2]) for i in range(len(piece) - 1)]
            required = {bigrams[0], bigrams[-1]}
            clauses += [(bigrams[0],), (bigrams[-1],)]
            for left, right in zip(bigrams, bigrams[1:], strict=False):
                if left not in required and right not in required:
                    clauses.append((left, right))
    return tuple(dict.fromkeys(clauses))


def parse(raw: str | None) -> SearchQuery:
    """Parse what a user typed. An empty result (``not query``) means there
    is nothing to search for. Words apart from quotes must all match, each
    anywhere; a quoted phrase must match as written."""
    text = clean_query(raw)
    terms: list[Term] = []
    for index, chunk in enumerate(text.split('"')):
        if index % 2:  # inside quotes
            tokens = _phrase_tokens(chunk)
            if tokens:
                terms.append(Term(" ".join(chunk.split()), tokens, True))
            continue
        for word in chunk.split():
            tokens = _phrase_tokens(word)
            clauses = _word_clauses(word)
            if len(tokens) == 1 and len(clauses) == 1:
                terms.append(Term(word, tokens, True))
            elif tokens:
                terms.append(Term(word, tokens, False, clauses))
    unique = {(term.text, term.phrase): term for term in terms}  # drop repeats
    return SearchQuery(text=text, terms=tuple(unique.values()))


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
        # index (the newest rows, walked in date order: results.RecentWindow).
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
