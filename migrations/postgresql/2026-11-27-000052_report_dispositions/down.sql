DELETE FROM audit_log WHERE action IN ('disposition.propose', 'disposition.confirm');
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign'));

ALTER TABLE report_texts DROP COLUMN tags;
ALTER TABLE report_texts DROP COLUMN disposition_reason;
ALTER TABLE report_texts DROP COLUMN disposition;
