DROP INDEX report_texts_position;
DROP INDEX report_texts_search;
DROP FUNCTION polyphony_search_text(text);
