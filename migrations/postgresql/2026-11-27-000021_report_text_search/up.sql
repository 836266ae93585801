-- Finding what was said in a published report: a full-text index over the
-- texts as published (hidden ones are stored empty). The 'simple'
-- configuration does not stem, so English and French texts are searched
-- alike; unaccent, where the server has it, folds "réglementation" and
-- "reglementation" together as SQLite's remove_diacritics does.
DO $$
DECLARE
    schema_name name;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
        CREATE EXTENSION IF NOT EXISTS unaccent;
        SELECT n.nspname INTO schema_name
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'unaccent';
        -- unaccent() is only STABLE (its dictionary could change); an index
        -- needs an IMMUTABLE function, which naming the dictionary gives.
        -- Both are schema-qualified: a restore (pg_dump) runs with an empty
        -- search_path.
        EXECUTE format(
            'CREATE FUNCTION polyphony_search_text(text) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                AS $f$ SELECT %1$I.unaccent(%2$L::regdictionary, $1) $f$',
            schema_name, quote_ident(schema_name) || '.unaccent');
    ELSE
        CREATE FUNCTION polyphony_search_text(text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
            AS $f$ SELECT $1 $f$;
    END IF;
END
$$;

CREATE INDEX report_texts_search ON report_texts
    USING GIN (to_tsvector('simple', polyphony_search_text(comment || ' ' || proposed_text)));

-- A permalink names the position a text came from, in the latest version.
CREATE INDEX report_texts_position ON report_texts (report_id, position_id);
