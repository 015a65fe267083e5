"""The database objects of the search (migration 0003; see disclosure/search.py):
PostgreSQL's generated ``tsvector`` columns and GIN indexes, SQLite's FTS5
table and its triggers."""

#: The SQLite FTS5 table (migration 0003).
FTS_TABLE = "disclosure_record_fts"

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
