//! Signing in: the rate limits on attempts, a password check that takes as
//! long whether or not the account exists, and the upgrade of old hashes.
//!
//! Attempts are limited as OWASP's "device cookie" scheme has it, so that
//! nobody can lock an owner out of their own account: a browser that has
//! signed in to an account before holds a signed device cookie for it, and
//! its failures count against that device alone; failures from any other
//! device count against the account, and its limit locks out unknown
//! devices only.

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

/// What a device cookie proves: this browser signed in to the account of
/// `account` (the hash of its address) before; `nonce` names the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub account: String,
    pub nonce: String,
}

impl Device {
    /// A new device for the account of `email`, given after a success.
    pub fn new(email: &str) -> Self {
        Device {
            account: tokens::hash(email),
            nonce: tokens::generate(),
        }
    }

    /// The cookie's value (it is signed by the web layer).
    pub fn value(&self) -> String {
        format!("{}.{}", self.account, self.nonce)
    }

    pub fn parse(value: &str) -> Option<Self> {
        let (account, nonce) = value.split_once('.')?;
        Some(Device {
            account: account.to_string(),
            nonce: nonce.to_string(),
        })
    }

    fn is_for(&self, email: &str) -> bool {
        tokens::constant_time_eq(&self.account, &tokens::hash(email))
    }
}

/// The account whose `email` and `password` these are, with a new session
/// token for it and the device cookie to give this browser. `device` is the
/// device cookie the browser sent, if it carries a valid one.
pub async fn authenticate(
    db: &Db,
    limits: &LimitSettings,
    email: &str,
    password: String,
    client: &str,
    device: Option<&Device>,
    now: PrimitiveDateTime,
) -> Result<(User, String, Device), SignInError> {
    let (per_account, window) = (limits.login_per_account, limits.login_window_secs);
    let known = device.filter(|d| d.is_for(email));
    // A known device answers for itself: neither an attacker's failures on
    // the account nor others behind the same address can lock it out.
    let bucket = match known {
        Some(device) => format!("login:device:{}", tokens::hash(&device.nonce)),
        None => {
            let per_ip = limits.login_per_ip;
            if let Some(wait) = limit(db, format!("login:ip:{client}"), per_ip, window, now).await?
            {
                return Err(SignInError::TooManyAttempts(wait));
            }
            format!("login:account:{}", tokens::hash(email))
        }
    };
    if let Some(wait) = limit(db, bucket.clone(), per_account, window, now).await? {
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
            throttle::clear(c, &bucket)?;
            sessions::create(c, id, now)
        })
        .await?;
    Ok((user, token, Device::new(email)))
}
