-- A draft version's translation keeps its preamble and the Markdown it was
-- imported from (so the organizer can correct it), and each provision its
-- translated label ("Recommandation 1.2" for "Recommendation 1.2").
ALTER TABLE draft_versions ADD COLUMN translated_preamble TEXT;
ALTER TABLE draft_versions ADD COLUMN translated_source_markdown TEXT;
ALTER TABLE provisions ADD COLUMN translated_label TEXT;

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide'));
