//! argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1). Requests run
//! these through `on_hasher`: a hash takes tens of milliseconds of CPU.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use thread_priority::{ThreadPriority, set_current_thread_priority};

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

/// Hashing threads of their own, at the lowest CPU priority: in a flood of
/// sign-ins the readers' requests still get the cores the moment they need
/// them, and the sign-ins, which can wait, wait. Their number bounds how many
/// hashes are computed at once.
static HASHERS: OnceLock<mpsc::Sender<Job>> = OnceLock::new();

type Job = Box<dyn FnOnce() + Send>;

/// Starts `n` hashing threads in this process (the first call wins). `0`
/// means half the cores, at least one.
pub fn start_hashers(n: usize) {
    let n = match n {
        0 => std::thread::available_parallelism().map_or(1, |c| (c.get() / 2).max(1)),
        n => n,
    };
    HASHERS.get_or_init(|| {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..n {
            let queue = queue.clone();
            let started = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    // Where the priority cannot be lowered, hashing still works.
                    if let Err(e) = set_current_thread_priority(ThreadPriority::Min) {
                        tracing::warn!(error = ?e, "password hashing runs at normal priority");
                    }
                    loop {
                        let job = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = started {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        jobs
    });
}

/// Runs `f` (a hash or a verification) on a hashing thread, or on a blocking
/// thread where none were started (the command line). None if it panicked.
pub async fn on_hasher<T, F>(f: F) -> Option<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let Some(hashers) = HASHERS.get() else {
        return tokio::task::spawn_blocking(f).await.ok();
    };
    let (done, result) = tokio::sync::oneshot::channel();
    hashers
        .send(Box::new(move || {
            let _ = done.send(f());
        }))
        .ok()?;
    result.await.ok()
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

    /// Hashes run on the hashing threads, below the priority of requests.
    #[cfg(target_os = "linux")]
    #[test]
    fn hashing_runs_on_its_own_low_priority_threads() {
        start_hashers(1);
        let (name, stat) = actix_web::rt::System::new()
            .block_on(on_hasher(|| {
                (
                    std::thread::current().name().map(str::to_owned),
                    std::fs::read_to_string("/proc/thread-self/stat").unwrap(),
                )
            }))
            .unwrap();
        assert!(name.unwrap().starts_with("argon2-"));
        // Field 19 of stat is the niceness; the command name before it is in
        // parentheses.
        let after_name = stat.rsplit(')').next().unwrap();
        let nice: i32 = after_name
            .split_whitespace()
            .nth(16)
            .unwrap()
            .parse()
            .unwrap();
        assert!(nice > 0, "niceness {nice}");
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
