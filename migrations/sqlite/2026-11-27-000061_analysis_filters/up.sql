-- The workspace's filters and facet counts read only analysis_texts: what
-- they filter on is copied from the submission when its texts are indexed
-- (a submission's group, country, disclosure and verification are fixed at
-- each submit, which rewrites its rows). The covering index lets a count
-- over a round's 100,000 texts read the index alone, never the documents.
ALTER TABLE analysis_texts ADD COLUMN stakeholder_group TEXT NOT NULL DEFAULT '';
ALTER TABLE analysis_texts ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE analysis_texts ADD COLUMN disclosure TEXT NOT NULL DEFAULT '';
ALTER TABLE analysis_texts ADD COLUMN verified BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE analysis_texts SET
    stakeholder_group = submissions.stakeholder_group,
    country = submissions.country,
    disclosure = submissions.disclosure,
    verified = submissions.affiliation_verified
FROM submissions WHERE submissions.id = analysis_texts.submission_id;
-- Only submitted texts are searched; a withdrawal now removes its rows.
DELETE FROM analysis_texts
WHERE submission_id IN (SELECT id FROM submissions WHERE status <> 'submitted');
DROP INDEX analysis_texts_round;
CREATE INDEX analysis_texts_filters ON analysis_texts (
    round_id, stakeholder_group, stance, provision_id, country, disclosure, verified,
    text_kind, text_id
);
