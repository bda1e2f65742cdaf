//! What the hub remembers about callers between requests, in memory: signed requests' nonces
//! (replay protection), session tokens with the caller each was last found to be, and failed
//! identity checks per asker.

use crate::auth::{Caller, SESSION_SECS};
use crate::error::{fail, HubResult};
use mz_core::crypto::KeyId;
use mz_core::ErrorCode;
use std::collections::HashMap;
use std::sync::Mutex;

/// Replay protection and session tokens, in memory. Requests signed before this hub process
/// started are refused, so a restart cannot reopen a replay window.
#[derive(Default)]
pub struct AuthCache {
    pub(crate) nonces: crate::nonces::Nonces,
    /// Session token → the key that opened it, when it ends, and the caller as last looked up.
    sessions: Mutex<HashMap<String, Session>>,
    /// Failed enrolments per ID number: (failures, start of the window).
    /// Failed identity checks per requesting key and per address: (count, window start).
    identity_failures: Mutex<HashMap<String, (u32, i64)>>,
}

/// A session: the key that opened it, when it ends, and its caller as last looked up.
struct Session {
    key_id: KeyId,
    ends: i64,
    known: Option<KnownCaller>,
}

struct KnownCaller {
    caller: Caller,
    /// The database's key epoch when it was looked up.
    epoch: u64,
    at: i64,
}

/// A session's caller is looked up again after this long even if this process changed no key
/// meanwhile: a key removed or deactivated by another process (the operator's command, another
/// hub process on the same PostgreSQL) ends its sessions within this time. Signed requests are
/// always looked up.
pub const CALLER_RECHECK_SECS: i64 = 1;

/// Who asks for an identity check: the key that signed the request and the address it came
/// from (the peer's; behind a proxy, the proxy's — put the limit there too).
#[derive(Debug, Clone, Default)]
pub struct Asker {
    pub key: Option<KeyId>,
    pub addr: Option<std::net::IpAddr>,
}

impl Asker {
    /// The counters this asker's failures go to, each with its limit.
    fn limit_keys(&self) -> Vec<(String, u32)> {
        let key = self.key.map(|k| (format!("key:{k}"), ENROL_TRIES));
        let addr = self.addr.map(|a| (format!("addr:{a}"), ADDRESS_TRIES));
        key.into_iter().chain(addr).collect()
    }
}

/// Failed identity checks a key may make per window.
pub const ENROL_TRIES: u32 = 5;
/// Failed identity checks an address may make per window: higher, since many phones share
/// one carrier address (CGNAT) and a service hall's counters one NAT address.
pub const ADDRESS_TRIES: u32 = 50;
pub const ENROL_WINDOW_SECS: i64 = 3600;

impl AuthCache {
    /// A new session for a key that just signed a request. It ends after [`SESSION_SECS`]
    /// however it is used: a session cannot open another.
    pub fn new_session(&self, key_id: KeyId, now: i64) -> (String, i64) {
        let mut raw = [0u8; 32];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut raw)
            .expect("randomness");
        let token = mz_core::crypto::b64(&raw);
        let exp = now + SESSION_SECS;
        let mut s = self.sessions.lock().expect("session lock");
        s.retain(|_, e| e.ends > now);
        let session = Session {
            key_id,
            ends: exp,
            known: None,
        };
        s.insert(token.clone(), session);
        (token, exp)
    }
    /// Refuse an identity check (ID number + name against the register) from an asker with
    /// too many recent failures. Failures count per requesting key and per address, never per
    /// ID number: a stranger's wrong guesses must not lock the real person out (M-10).
    pub fn check_identity_allowed(&self, asker: &Asker, now: i64) -> HubResult<()> {
        let f = self.identity_failures.lock().expect("limit lock");
        for (k, limit) in asker.limit_keys() {
            if let Some((n, start)) = f.get(&k) {
                if *n >= limit && now < start + ENROL_WINDOW_SECS {
                    return Err(fail(
                        ErrorCode::TooManyAttempts,
                        format!(
                            "too many identity checks that did not match; try again in {} minutes",
                            (start + ENROL_WINDOW_SECS - now + 59) / 60
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
    /// Count a failed identity check against the asker's key and address.
    pub fn identity_failed(&self, asker: &Asker, now: i64) {
        let mut f = self.identity_failures.lock().expect("limit lock");
        if f.len() > 100_000 {
            f.retain(|_, (_, start)| *start + ENROL_WINDOW_SECS > now);
        }
        for (k, _) in asker.limit_keys() {
            let e = f.entry(k).or_insert((0, now));
            if now >= e.1 + ENROL_WINDOW_SECS {
                *e = (0, now);
            }
            e.0 += 1;
        }
    }

    /// The session's key, and its caller if it was looked up at `epoch` within the last
    /// [`CALLER_RECHECK_SECS`].
    pub(crate) fn session(
        &self,
        token: &str,
        now: i64,
        epoch: u64,
    ) -> Option<(KeyId, Option<Caller>)> {
        let s = self.sessions.lock().expect("session lock");
        let e = s.get(token).filter(|e| e.ends > now)?;
        let known = e
            .known
            .as_ref()
            .filter(|k| k.epoch == epoch && now < k.at + CALLER_RECHECK_SECS);
        Some((e.key_id, known.map(|k| k.caller.clone())))
    }

    /// Remember the caller a session's key belonged to when looked up at `epoch`.
    pub(crate) fn remember(&self, token: &str, caller: &Caller, now: i64, epoch: u64) {
        if let Some(e) = self.sessions.lock().expect("session lock").get_mut(token) {
            let caller = caller.clone();
            e.known = Some(KnownCaller {
                caller,
                epoch,
                at: now,
            });
        }
    }

    pub(crate) fn end_session(&self, token: &str) {
        self.sessions.lock().expect("session lock").remove(token);
    }
}
