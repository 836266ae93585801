-- SQLite's FTS5 table already holds each document's words (see
-- 2026-11-27-000051_analysis_search); only PostgreSQL changes here.
SELECT 1;
