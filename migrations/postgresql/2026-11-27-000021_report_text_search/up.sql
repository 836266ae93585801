-- Finding what was said in a published report: a full-text index over the
-- texts as published (hidden ones are stored empty). The 'simple'
-- configuration does not stem, so English and French texts are searched
-- alike; unaccent, where the server has it, folds "réglementation" and
-- "reglementation" together as SQLite's remove_diacritics does.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
        CREATE EXTENSION IF NOT EXISTS unaccent;
        -- unaccent() is only STABLE (its dictionary could change); an index
        -- needs an IMMUTABLE function, which naming the dictionary gives.
        CREATE FUNCTION polyphony_search_text(text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
            AS $f$ SELECT unaccent('unaccent'::regdictionary, $1) $f$;
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
