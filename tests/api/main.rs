#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Integration tests: each starts the app on a random port with a database of
//! its own, on SQLite always and on PostgreSQL when POLYPHONY_TEST_POSTGRES_URL
//! is set.

#[macro_use]
mod helpers;

mod accounts;
mod attacks;
mod cli;
mod foundation;
mod glance;
mod organize;
mod performance;
mod properties;
mod reliability;
mod reports;
mod submissions;
mod translations;
