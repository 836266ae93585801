ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
DELETE FROM outbox WHERE kind IN ('organization_invitation', 'organization_request');
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN (
    'verify_email', 'password_reset', 'account_exists', 'password_changed',
    'round_opened', 'round_reminder', 'round_extended', 'report_published', 'receipt', 'answers_open', 'formal_objection'));

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
DELETE FROM audit_log WHERE action IN ('organization.create', 'organization.verify', 'round.counting');
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
    'disposition.propose', 'disposition.confirm', 'round.link', 'round.answers'));

DELETE FROM analysis_texts WHERE submission_id IN (SELECT id FROM submissions WHERE organization_id IS NOT NULL);
DELETE FROM positions WHERE submission_id IN (SELECT id FROM submissions WHERE organization_id IS NOT NULL);
DELETE FROM submission_revisions WHERE submission_id IN (SELECT id FROM submissions WHERE organization_id IS NOT NULL);
DELETE FROM submissions WHERE organization_id IS NOT NULL;
DROP INDEX submissions_official;
DROP INDEX submissions_personal;
ALTER TABLE submissions ADD CONSTRAINT submissions_round_id_participant_id_key UNIQUE (round_id, participant_id);
ALTER TABLE submissions DROP COLUMN counts_for;
ALTER TABLE submissions DROP COLUMN organization_id;

ALTER TABLE submission_revisions DROP COLUMN author_id;
ALTER TABLE rounds DROP COLUMN counting;
DROP TABLE organization_members;
DROP TABLE organizations;
