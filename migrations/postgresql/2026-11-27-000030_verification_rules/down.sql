DELETE FROM audit_log WHERE action IN ('rule.create', 'rule.delete');
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide'));

DROP INDEX users_live;
DROP INDEX users_country;
DROP INDEX users_group;
DROP INDEX users_created;
DROP INDEX users_name;
DROP TABLE verification_rules;
