DELETE FROM audit_log WHERE action = 'draft.translate';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide'));

ALTER TABLE provisions DROP COLUMN translated_label;
ALTER TABLE draft_versions DROP COLUMN translated_source_markdown;
ALTER TABLE draft_versions DROP COLUMN translated_preamble;
