//! Submissions: one per participant per round, a position on each provision,
//! every save kept as a revision, a receipt on submit.

crate::text_enum! {
    /// A participant's position on one provision.
    pub enum Stance {
        Support => "support",
        SupportWithChanges => "support_with_changes",
        Oppose => "oppose",
        NoPosition => "no_position",
    }
}

crate::text_enum! {
    /// What of a submission may be published with its text.
    pub enum Disclosure {
        Attributed => "attributed",
        Organization => "organization",
        Anonymous => "anonymous",
        Confidential => "confidential",
    }
}

crate::text_enum! {
    pub enum Status {
        Draft => "draft",
        Submitted => "submitted",
        Withdrawn => "withdrawn",
    }
}
