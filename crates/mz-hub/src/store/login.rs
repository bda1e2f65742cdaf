//! Kiosk login sessions in storage. A session moves waiting → logged in → ended (or expires
//! while waiting); each move is decided by its UPDATE's condition inside the caller's write
//! transaction, so two logins to one session cannot both succeed.

use super::audit::WriteTx;
use super::Db;
use crate::error::HubResult;
use mz_core::flow::{LoginMethod, LoginState, KIOSK_IDLE_SECS};
use sqlx::Row;

/// A session as stored (its state as stored: `LoginState::at` decides expiry).
pub struct Session {
    pub id: String,
    pub terminal: String,
    pub state: LoginState,
    pub holder_name: Option<String>,
    pub method: Option<LoginMethod>,
    pub expires_at: i64,
}

pub async fn get(db: &Db, id: &str) -> HubResult<Option<Session>> {
    let r = sqlx::query(
        "SELECT l.id, l.state, COALESCE(p.name, l.remote_name), l.method, l.expires_at, l.terminal \
         FROM login_sessions l LEFT JOIN holders h ON h.id = l.holder \
         LEFT JOIN people p ON p.id_number = h.id_number WHERE l.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    r.map(|r| {
        let method: Option<String> = r.get(3);
        Ok(Session {
            id: r.get(0),
            state: LoginState::parse(r.get(1))?,
            holder_name: r.get(2),
            method: method.as_deref().map(LoginMethod::parse).transpose()?,
            expires_at: r.get(4),
            terminal: r.get(5),
        })
    })
    .transpose()
}

/// A request in a logged-in session keeps it open for another idle period; false if it is
/// not logged in and open any more.
pub async fn keep_alive(tx: &mut WriteTx, session: &str, now: i64) -> HubResult<bool> {
    let n = sqlx::query(
        "UPDATE login_sessions SET expires_at = $1 WHERE id = $2 AND state = $3 AND expires_at >= $4",
    )
    .bind(now + KIOSK_IDLE_SECS)
    .bind(session)
    .bind(LoginState::LoggedIn.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A new waiting session of a kiosk.
pub async fn open(db: &Db, id: &str, terminal: &str, now: i64, expires_at: i64) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO login_sessions (id, terminal, state, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(terminal)
    .bind(LoginState::Waiting.as_str())
    .bind(now)
    .bind(expires_at)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Log this hub's holder in to a waiting session; false when it was not waiting any more.
pub async fn log_in(
    tx: &mut WriteTx,
    session: &str,
    (holder_id, device): (&str, &str),
    method: LoginMethod,
    now: i64,
) -> HubResult<bool> {
    let n = sqlx::query(
        "UPDATE login_sessions SET state = $1, holder = $2, method = $3, logged_in_at = $4, expires_at = $5, device = $8 \
         WHERE id = $6 AND state = $7 AND expires_at >= $4",
    )
    .bind(LoginState::LoggedIn.as_str())
    .bind(holder_id)
    .bind(method.as_str())
    .bind(now)
    .bind(now + KIOSK_IDLE_SECS)
    .bind(session)
    .bind(LoginState::Waiting.as_str())
    .bind(device)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Another region's holder, as their hub answered for them.
pub struct RemoteHolder<'a> {
    pub owner: &'a str,
    pub redemption: &'a str,
    pub name_masked: &'a str,
    /// The certificate types they hold (JSON list).
    pub available: String,
}

/// Log another region's holder in to a waiting session; false when it was not waiting.
pub async fn log_in_remote(
    tx: &mut WriteTx,
    session: &str,
    who: &RemoteHolder<'_>,
    now: i64,
) -> HubResult<bool> {
    let n = sqlx::query(
        "UPDATE login_sessions SET state = $1, method = $2, logged_in_at = $3, remote_owner = $4, \
         remote_redemption = $5, remote_name = $6, remote_available = $7, expires_at = $10 \
         WHERE id = $8 AND state = $9 AND expires_at >= $3",
    )
    .bind(LoginState::LoggedIn.as_str())
    .bind(LoginMethod::IdentityCode.as_str())
    .bind(now)
    .bind(who.owner)
    .bind(who.redemption)
    .bind(who.name_masked)
    .bind(&who.available)
    .bind(session)
    .bind(LoginState::Waiting.as_str())
    .bind(now + KIOSK_IDLE_SECS)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// End a waiting or logged-in session; false when it had ended already.
pub async fn end(tx: &mut WriteTx, session: &str) -> HubResult<bool> {
    let n = sqlx::query("UPDATE login_sessions SET state = $1 WHERE id = $2 AND state IN ($3, $4)")
        .bind(LoginState::Ended.as_str())
        .bind(session)
        .bind(LoginState::Waiting.as_str())
        .bind(LoginState::LoggedIn.as_str())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// The holder logged in to a session here: (holder id, ID number, name).
pub async fn local_holder(db: &Db, session: &str) -> HubResult<(String, String, String)> {
    Ok(sqlx::query_as(
        "SELECT h.id, h.id_number, p.name FROM login_sessions l JOIN holders h ON h.id = l.holder \
         JOIN people p ON p.id_number = h.id_number WHERE l.id = $1",
    )
    .bind(session)
    .fetch_one(&db.read)
    .await?)
}

/// Another region's holder logged in to a session: (their region, the redemption their hub
/// keeps, the certificate types they hold as a JSON list).
pub async fn remote_holder(db: &Db, session: &str) -> HubResult<Option<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT remote_owner, remote_redemption, remote_available FROM login_sessions \
         WHERE id = $1 AND remote_owner IS NOT NULL",
    )
    .bind(session)
    .fetch_optional(&db.read)
    .await?)
}

/// A terminal's name, inside a write transaction.
pub async fn terminal_name(tx: &mut WriteTx, terminal: &str) -> HubResult<String> {
    Ok(
        sqlx::query_scalar("SELECT name FROM terminals WHERE id = $1")
            .bind(terminal)
            .fetch_one(&mut **tx)
            .await?,
    )
}
