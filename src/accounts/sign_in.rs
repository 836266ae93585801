//! Signing in: the rate limits on attempts, a password check that takes as
//! long whether or not the account exists, and the upgrade of old hashes.

use super::{User, passwords, sessions, tokens};
use crate::config::LimitSettings;
use crate::db::{Db, DbError};
use crate::throttle;
use std::sync::LazyLock;
use time::{Duration, PrimitiveDateTime};

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Too many attempts from this address or on this account; try again
    /// after the given wait.
    #[error("too many sign-in attempts")]
    TooManyAttempts(Duration),
    /// Unknown address or wrong password: the two are never told apart.
    #[error("wrong e-mail address or password")]
    Refused,
    #[error("password hashing failed")]
    Hashing,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Unknown e-mails are checked against this hash so that a sign-in takes as
/// long whether or not the account exists.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| passwords::hash("not a real password at all").unwrap_or_default());

/// Counts one hit on `bucket`; the wait when it is over `max` in the window.
pub async fn limit(
    db: &Db,
    bucket: String,
    max: u32,
    window_secs: u64,
    now: PrimitiveDateTime,
) -> Result<Option<Duration>, DbError> {
    let window = Duration::seconds(window_secs as i64);
    db.query(move |c| throttle::hit(c, &bucket, max, window, now))
        .await
}

/// Checks `password` off the async executor (on a hashing thread).
pub async fn verify_password(password: String, hash: String) -> Result<bool, SignInError> {
    passwords::on_hasher(move || passwords::verify(&password, &hash))
        .await
        .ok_or(SignInError::Hashing)
}

/// Hashes `password` off the async executor (on a hashing thread).
pub async fn hash_password(password: String) -> Result<String, SignInError> {
    passwords::on_hasher(move || passwords::hash(&password))
        .await
        .ok_or(SignInError::Hashing)?
        .map_err(|_| SignInError::Hashing)
}

/// The account whose `email` and `password` these are, with a new session
/// token for it. Attempts are limited per client address and per account;
/// a success clears the account's count.
pub async fn authenticate(
    db: &Db,
    limits: &LimitSettings,
    email: &str,
    password: String,
    client: &str,
    now: PrimitiveDateTime,
) -> Result<(User, String), SignInError> {
    let (per_ip, window) = (limits.login_per_ip, limits.login_window_secs);
    if let Some(wait) = limit(db, format!("login:ip:{client}"), per_ip, window, now).await? {
        return Err(SignInError::TooManyAttempts(wait));
    }
    let account_bucket = format!("login:account:{}", tokens::hash(email));
    let per_account = limits.login_per_account;
    if let Some(wait) = limit(db, account_bucket.clone(), per_account, window, now).await? {
        return Err(SignInError::TooManyAttempts(wait));
    }
    let lookup = email.to_string();
    let found = db
        .query(move |c| {
            Ok(match super::find_by_email(c, &lookup)? {
                Some(user) => {
                    let hash = super::password_hash(c, user.id)?;
                    Some((user, hash))
                }
                None => None,
            })
        })
        .await?;
    let stored = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let matches = verify_password(password.clone(), stored).await?;
    let (user, stored_hash) = match found {
        Some(found) if matches => found,
        _ => return Err(SignInError::Refused),
    };
    // Hashes made with older parameters are upgraded now that we know the password.
    let rehash = match passwords::needs_rehash(&stored_hash) {
        true => Some(hash_password(password).await?),
        false => None,
    };
    let id = user.id;
    let token = db
        .query(move |c| {
            if let Some(hash) = rehash {
                super::set_password_hash(c, id, &hash, now)?;
            }
            throttle::clear(c, &account_bucket)?;
            sessions::create(c, id, now)
        })
        .await?;
    Ok((user, token))
}
