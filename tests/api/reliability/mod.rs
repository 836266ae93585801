//! Reliability: crashes, outages of the database and of the mail server,
//! graceful shutdown, backup and restore (docs/security.md, "Reliability").

/// `name::sqlite` and `name::postgres` for a test written as
/// `async fn test(backend: Backend)` that needs more than `both_backends!`
/// gives (the binary as a process, custom settings).
macro_rules! on_both_backends {
    ($($name:ident => $test:ident;)*) => {$(
        mod $name {
            use super::*;

            #[actix_web::test]
            async fn sqlite() {
                $test(Backend::Sqlite).await;
            }

            #[actix_web::test]
            async fn postgres() {
                $test(Backend::Postgres).await;
            }
        }
    )*};
}

mod backup;
mod crash;
mod mail;
mod outage;
mod shutdown;
mod support;
