#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Integration tests: each starts the app on a random port with a database of
//! its own, on SQLite always and on PostgreSQL when POLYPHONY_TEST_POSTGRES_URL
//! is set.

#[macro_use]
mod helpers;

#[path = "../../src/attachments/fixtures.rs"]
mod attachment_fixtures;
#[path = "../../src/drafts/docx_fixture.rs"]
mod docx_fixture;

mod accounts;
mod analysis;
mod attachments;
mod attacks;
mod cli;
mod dispositions;
mod docs;
mod foundation;
mod glance;
mod instances;
mod joint;
mod lineage;
mod movement;
mod observability;
mod organizations;
mod organize;
mod paging;
mod participants;
mod performance;
mod privacy;
mod properties;
mod reliability;
mod report_jobs;
mod reports;
mod skeletons;
mod skips;
mod structure;
mod submissions;
mod translations;
mod word_import;
