//! argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1). Callers run these
//! on a blocking thread: a hash takes tens of milliseconds of CPU.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Arc, OnceLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Hashes made with other parameters are rehashed at the next login.
pub const CURRENT_PREFIX: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
}

pub fn verify(password: &str, phc: &str) -> bool {
    // The parameters come from the stored string, so older hashes still verify.
    hasher().verify_password(password.as_bytes(), phc).is_ok()
}

static SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();

/// How many hashes may be computed at once in this process (the first call
/// wins): a flood of sign-ins then waits its turn instead of taking every core
/// from the readers. `0` means half the cores, at least one.
pub fn limit_concurrency(n: usize) {
    let n = match n {
        0 => std::thread::available_parallelism().map_or(1, |c| (c.get() / 2).max(1)),
        n => n,
    };
    let _ = SLOTS.set(Arc::new(Semaphore::new(n)));
}

/// Waits for a turn to hash; hold the permit while hashing.
pub async fn turn() -> Option<OwnedSemaphorePermit> {
    match SLOTS.get() {
        Some(slots) => slots.clone().acquire_owned().await.ok(),
        None => None,
    }
}

pub fn needs_rehash(phc: &str) -> bool {
    !phc.starts_with(CURRENT_PREFIX)
}

/// A password nobody knows, printed once for the first admin.
pub fn generate() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = hash("correct horse battery staple").unwrap();
        assert!(h.starts_with(CURRENT_PREFIX), "{h}");
        assert!(verify("correct horse battery staple", &h));
        assert!(!verify("wrong", &h));
        assert!(!needs_rehash(&h));
    }

    #[test]
    fn weaker_hashes_still_verify_and_ask_for_an_upgrade() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        )
        .hash_password(b"old password 123")
        .unwrap()
        .to_string();
        assert!(verify("old password 123", &weak));
        assert!(needs_rehash(&weak));
    }
}
