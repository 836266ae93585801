// One hand-maintained schema for both backends, restricted to the column types
// diesel's MultiConnection shares (see STACK.md): ids are BigInt, timestamps are
// Timestamp (UTC without zone), enum codes are Text guarded by CHECKs.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        organization -> Text,
        stakeholder_group -> Text,
        country -> Text,
        locale -> Text,
        role -> Text,
        notify_rounds -> Bool,
        email_verified_at -> Nullable<Timestamp>,
        affiliation_verified_at -> Nullable<Timestamp>,
        affiliation_verified_by -> Nullable<BigInt>,
        deleted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    form_replies (key) {
        key -> Text,
        status -> Nullable<Integer>,
        location -> Nullable<Text>,
        content_type -> Nullable<Text>,
        body -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    throttle (bucket) {
        bucket -> Text,
        window_start -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    consultations (id) {
        id -> BigInt,
        slug -> Text,
        locale -> Text,
        title -> Text,
        summary -> Text,
        translated_title -> Nullable<Text>,
        translated_summary -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    consultation_groups (consultation_id, stakeholder_group) {
        consultation_id -> BigInt,
        stakeholder_group -> Text,
    }
}

diesel::table! {
    draft_versions (id) {
        id -> BigInt,
        consultation_id -> BigInt,
        version -> Integer,
        locale -> Text,
        title -> Text,
        preamble -> Text,
        translated_title -> Nullable<Text>,
        source_markdown -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        translated_preamble -> Nullable<Text>,
        translated_source_markdown -> Nullable<Text>,
    }
}

diesel::table! {
    provisions (id) {
        id -> BigInt,
        draft_version_id -> BigInt,
        ordinal -> Integer,
        provision_key -> Text,
        label -> Text,
        heading -> Text,
        body -> Text,
        translated_heading -> Nullable<Text>,
        translated_body -> Nullable<Text>,
        translated_label -> Nullable<Text>,
        division_key -> Nullable<Text>,
    }
}

diesel::table! {
    draft_divisions (id) {
        id -> BigInt,
        draft_version_id -> BigInt,
        ordinal -> Integer,
        division_key -> Text,
        parent_key -> Nullable<Text>,
        depth -> Integer,
        label -> Text,
        heading -> Text,
        body -> Text,
        translated_label -> Nullable<Text>,
        translated_heading -> Nullable<Text>,
        translated_body -> Nullable<Text>,
    }
}

diesel::table! {
    rounds (id) {
        id -> BigInt,
        consultation_id -> BigInt,
        number -> Integer,
        draft_version_id -> BigInt,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        attribution -> Text,
        announced_at -> Nullable<Timestamp>,
        closed_early_at -> Nullable<Timestamp>,
        min_group_size -> Integer,
        opened_notice_at -> Nullable<Timestamp>,
        reminder_notice_at -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        report_salt -> Text,
        follows_round_id -> Nullable<BigInt>,
        answers_close_at -> Nullable<Timestamp>,
        answers_notice_at -> Nullable<Timestamp>,
        counting -> Text,
    }
}

diesel::table! {
    submissions (id) {
        id -> BigInt,
        round_id -> BigInt,
        participant_id -> BigInt,
        status -> Text,
        disclosure -> Text,
        general_comment -> Text,
        general_comment_hidden_reason -> Nullable<Text>,
        display_name -> Text,
        organization -> Text,
        stakeholder_group -> Text,
        country -> Text,
        affiliation_verified -> Bool,
        receipt_code -> Nullable<Text>,
        revision -> Integer,
        submitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        organization_id -> Nullable<BigInt>,
        counts_for -> Text,
    }
}

diesel::table! {
    positions (id) {
        id -> BigInt,
        submission_id -> BigInt,
        provision_id -> BigInt,
        stance -> Nullable<Text>,
        comment -> Text,
        proposed_text -> Text,
        hidden_at -> Nullable<Timestamp>,
        hidden_reason -> Nullable<Text>,
        hidden_by -> Nullable<BigInt>,
        changed_mind -> Text,
    }
}

diesel::table! {
    submission_revisions (id) {
        id -> BigInt,
        submission_id -> BigInt,
        revision -> Integer,
        action -> Text,
        content -> Text,
        receipt_code -> Nullable<Text>,
        created_at -> Timestamp,
        author_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    provision_responses (id) {
        id -> BigInt,
        round_id -> BigInt,
        provision_key -> Text,
        response -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    response_answers (id) {
        id -> BigInt,
        round_id -> BigInt,
        position_id -> BigInt,
        participant_id -> BigInt,
        answer -> Text,
        reason -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        objection_notice_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        round_id -> BigInt,
        version -> Integer,
        note -> Text,
        snapshot -> Text,
        published_by -> Nullable<BigInt>,
        published_at -> Timestamp,
        movement_csv -> Nullable<Text>,
    }
}

diesel::table! {
    report_texts (id) {
        id -> BigInt,
        report_id -> BigInt,
        provision_key -> Text,
        seq -> Integer,
        position_id -> Nullable<BigInt>,
        name -> Nullable<Text>,
        organization -> Nullable<Text>,
        stakeholder_group -> Nullable<Text>,
        country -> Nullable<Text>,
        stance -> Nullable<Text>,
        comment -> Text,
        proposed_text -> Text,
        hidden_reason -> Nullable<Text>,
        public_id -> Nullable<Text>,
        disposition -> Nullable<Text>,
        disposition_reason -> Nullable<Text>,
        tags -> Text,
        region -> Nullable<Text>,
    }
}

diesel::table! {
    report_csv_chunks (report_id, seq) {
        report_id -> BigInt,
        seq -> Integer,
        data -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        consultation_id -> Nullable<BigInt>,
        round_id -> Nullable<BigInt>,
        subject -> Text,
        details -> Text,
        public -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        dedup_key -> Nullable<Text>,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    consultation_analysts (consultation_id, user_id) {
        consultation_id -> BigInt,
        user_id -> BigInt,
        assigned_by -> Nullable<BigInt>,
        assigned_at -> Timestamp,
    }
}

diesel::table! {
    analysis_tags (id) {
        id -> BigInt,
        consultation_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        label -> Text,
        translated_label -> Nullable<Text>,
        description -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    text_tags (id) {
        id -> BigInt,
        round_id -> BigInt,
        text_kind -> Text,
        text_id -> BigInt,
        tag_id -> BigInt,
        batch -> Nullable<Text>,
        tagged_by -> Nullable<BigInt>,
        tagged_at -> Timestamp,
        removed_by -> Nullable<BigInt>,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    text_dispositions (id) {
        id -> BigInt,
        round_id -> BigInt,
        text_kind -> Text,
        text_id -> BigInt,
        disposition -> Text,
        reason -> Text,
        state -> Text,
        decided_by -> Nullable<BigInt>,
        decided_at -> Timestamp,
    }
}

diesel::table! {
    text_assignments (text_kind, text_id) {
        round_id -> BigInt,
        text_kind -> Text,
        text_id -> BigInt,
        analyst_id -> BigInt,
        assigned_by -> Nullable<BigInt>,
        assigned_at -> Timestamp,
        done_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    verification_rules (id) {
        id -> BigInt,
        domain -> Text,
        stakeholder_group -> Text,
        country -> Text,
        verified_count -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    report_jobs (id) {
        id -> BigInt,
        round_id -> BigInt,
        state -> Text,
        stamp -> Text,
        progress -> Integer,
        submissions_as_of -> Nullable<Timestamp>,
        snapshot -> Nullable<Text>,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        error -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        movement_csv -> Nullable<Text>,
    }
}

diesel::table! {
    report_job_texts (id) {
        id -> BigInt,
        job_id -> BigInt,
        attempt -> Integer,
        provision_key -> Text,
        seq -> Integer,
        position_id -> Nullable<BigInt>,
        name -> Nullable<Text>,
        organization -> Nullable<Text>,
        stakeholder_group -> Nullable<Text>,
        country -> Nullable<Text>,
        stance -> Nullable<Text>,
        comment -> Text,
        proposed_text -> Text,
        hidden_reason -> Nullable<Text>,
        public_id -> Nullable<Text>,
        disposition -> Nullable<Text>,
        disposition_reason -> Nullable<Text>,
        tags -> Text,
        region -> Nullable<Text>,
    }
}

diesel::table! {
    report_job_csv_chunks (job_id, attempt, seq) {
        job_id -> BigInt,
        attempt -> Integer,
        seq -> Integer,
        data -> Text,
    }
}

diesel::table! {
    round_changes (round_id) {
        round_id -> BigInt,
        changes -> BigInt,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    analysis_texts (id) {
        id -> BigInt,
        round_id -> BigInt,
        submission_id -> BigInt,
        text_kind -> Text,
        text_id -> BigInt,
        provision_id -> Nullable<BigInt>,
        stance -> Nullable<Text>,
        document -> Text,
        stakeholder_group -> Text,
        country -> Text,
        disclosure -> Text,
        verified -> Bool,
    }
}

diesel::table! {
    analysis_indexed_rounds (round_id) {
        round_id -> BigInt,
        indexed_at -> Timestamp,
    }
}

diesel::table! {
    analysis_queue (id) {
        id -> BigInt,
        round_id -> BigInt,
        submission_id -> BigInt,
        queued_at -> Timestamp,
    }
}

diesel::table! {
    organizations (id) {
        id -> BigInt,
        consultation_id -> BigInt,
        name -> Text,
        translated_name -> Nullable<Text>,
        stakeholder_group -> Text,
        country -> Text,
        website -> Text,
        domains -> Text,
        verified_at -> Nullable<Timestamp>,
        verified_by -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    organization_members (id) {
        id -> BigInt,
        organization_id -> BigInt,
        consultation_id -> BigInt,
        user_id -> BigInt,
        state -> Text,
        is_admin -> Bool,
        is_drafter -> Bool,
        is_signatory -> Bool,
        invited_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    joint_signatures (id) {
        id -> BigInt,
        submission_id -> BigInt,
        round_id -> BigInt,
        lead_organization_id -> BigInt,
        organization_id -> BigInt,
        state -> Text,
        name -> Text,
        stakeholder_group -> Text,
        country -> Text,
        verified -> Bool,
        invited_by -> BigInt,
        answered_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(consultation_groups -> consultations (consultation_id));
diesel::joinable!(draft_versions -> consultations (consultation_id));
diesel::joinable!(provisions -> draft_versions (draft_version_id));
diesel::joinable!(draft_divisions -> draft_versions (draft_version_id));
diesel::joinable!(rounds -> consultations (consultation_id));
diesel::joinable!(rounds -> draft_versions (draft_version_id));
diesel::joinable!(submissions -> rounds (round_id));
diesel::joinable!(submissions -> users (participant_id));
diesel::table! {
    attachments (id) {
        id -> BigInt,
        submission_id -> BigInt,
        public_id -> Text,
        file_name -> Text,
        kind -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage -> Text,
        extracted_text -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    attachment_chunks (attachment_id, seq) {
        attachment_id -> BigInt,
        seq -> Integer,
        data -> Binary,
    }
}

diesel::joinable!(positions -> submissions (submission_id));
diesel::joinable!(attachments -> submissions (submission_id));
diesel::joinable!(attachment_chunks -> attachments (attachment_id));
diesel::joinable!(positions -> provisions (provision_id));
diesel::joinable!(submission_revisions -> submissions (submission_id));
diesel::joinable!(provision_responses -> rounds (round_id));
diesel::joinable!(reports -> rounds (round_id));
diesel::joinable!(report_texts -> reports (report_id));
diesel::joinable!(report_csv_chunks -> reports (report_id));
diesel::joinable!(report_jobs -> rounds (round_id));
diesel::joinable!(report_job_texts -> report_jobs (job_id));
diesel::joinable!(report_job_csv_chunks -> report_jobs (job_id));
diesel::joinable!(round_changes -> rounds (round_id));
diesel::joinable!(consultation_analysts -> consultations (consultation_id));
diesel::joinable!(analysis_tags -> consultations (consultation_id));
diesel::joinable!(text_tags -> analysis_tags (tag_id));
diesel::joinable!(text_tags -> rounds (round_id));
diesel::joinable!(text_dispositions -> rounds (round_id));
diesel::joinable!(text_assignments -> rounds (round_id));
diesel::joinable!(analysis_texts -> submissions (submission_id));
diesel::joinable!(response_answers -> positions (position_id));
diesel::joinable!(organizations -> consultations (consultation_id));
diesel::joinable!(organization_members -> organizations (organization_id));
diesel::joinable!(organization_members -> users (user_id));
diesel::joinable!(submissions -> organizations (organization_id));
diesel::joinable!(joint_signatures -> submissions (submission_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    form_replies,
    throttle,
    email_tokens,
    consultations,
    consultation_groups,
    draft_versions,
    draft_divisions,
    provisions,
    rounds,
    submissions,
    positions,
    submission_revisions,
    attachments,
    attachment_chunks,
    provision_responses,
    response_answers,
    reports,
    report_texts,
    report_csv_chunks,
    audit_log,
    outbox,
    consultation_analysts,
    analysis_tags,
    text_tags,
    text_dispositions,
    text_assignments,
    verification_rules,
    report_jobs,
    report_job_texts,
    report_job_csv_chunks,
    round_changes,
    analysis_texts,
    analysis_indexed_rounds,
    analysis_queue,
    organizations,
    organization_members,
    joint_signatures,
);

// The report's one aggregate query groups by columns of two tables.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    positions::provision_id,
    submissions::stakeholder_group,
    submissions::affiliation_verified,
    positions::stance,
    submissions::counts_for,
);

// A joint submission's co-signers are counted by the same grouping, each in
// its own group.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    positions::provision_id,
    joint_signatures::stakeholder_group,
    joint_signatures::verified,
    positions::stance,
);
