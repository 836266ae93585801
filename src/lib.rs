//! Polyphony: multistakeholder comment rounds on draft texts.

pub mod accounts;
pub mod audit;
pub mod bench;
pub mod cli;
pub mod clock;
pub mod codes;
pub mod config;
pub mod consultations;
pub mod db;
pub mod demo;
pub mod drafts;
pub mod forms;
pub mod i18n;
pub mod markdown;
pub mod notifications;
pub mod reports;
pub mod rounds;
pub mod search;
pub mod startup;
pub mod submissions;
pub mod synthetic;
pub mod telemetry;
pub mod templates;
pub mod throttle;
pub mod web;
