DELETE FROM outbox WHERE kind IN ('answers_open', 'formal_objection');
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN (
        'verify_email', 'password_reset', 'account_exists', 'password_changed',
        'round_opened', 'round_reminder', 'round_extended', 'report_published', 'receipt'));
DELETE FROM audit_log WHERE action = 'round.answers';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
    'disposition.propose', 'disposition.confirm', 'round.link'));

DROP TABLE response_answers;
ALTER TABLE rounds DROP COLUMN answers_notice_at;
ALTER TABLE rounds DROP COLUMN answers_close_at;
ALTER TABLE report_jobs DROP COLUMN movement_csv;
ALTER TABLE reports DROP COLUMN movement_csv;
