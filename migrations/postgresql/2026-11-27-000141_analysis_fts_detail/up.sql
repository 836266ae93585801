-- SQLite's FTS5 options only: PostgreSQL keeps its GIN index on words.
SELECT 1;
