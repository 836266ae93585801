//! Reliability: crashes, outages of the database and of the mail server,
//! graceful shutdown, backup and restore (docs/security.md, "Reliability").

mod backup;
mod balancer;
mod crash;
mod mail;
mod outage;
mod shutdown;
pub(crate) mod support;
