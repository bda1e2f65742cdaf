//! Face checks (实人) and the applications they unlock, in storage: challenges and their
//! attempts, applications filed for someone else, and the register's reference photos.

use super::audit::WriteTx;
use super::Db;
use crate::error::{HubError, HubResult};
use mz_core::flow::{ApplicationState, ChallengeState, FacePurpose};
use sqlx::Row;

/// A new challenge (its steps as the JSON the device gets).
pub struct NewChallenge<'a> {
    pub id: &'a str,
    pub purpose: FacePurpose,
    pub subject: &'a str,
    pub requester: &'a str,
    pub application: Option<&'a str>,
    pub steps: String,
    pub nonce: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn open_challenge(tx: &mut WriteTx, c: NewChallenge<'_>) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO face_challenges (id, purpose, subject, requester, application, steps, state, created_at, expires_at, nonce) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c.id)
    .bind(c.purpose.as_str())
    .bind(c.subject)
    .bind(c.requester)
    .bind(c.application)
    .bind(c.steps)
    .bind(ChallengeState::Open.as_str())
    .bind(c.now)
    .bind(c.expires_at)
    .bind(c.nonce)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A challenge as stored.
pub struct StoredChallenge {
    pub purpose: FacePurpose,
    pub subject: String,
    pub requester: String,
    pub application: Option<String>,
    pub steps: String,
    pub state: ChallengeState,
    pub nonce: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// The enterprise a counter's check of its legal representative acts for.
    pub enterprise: Option<String>,
}

pub async fn challenge(db: &Db, id: &str) -> HubResult<Option<StoredChallenge>> {
    let r = sqlx::query(
        "SELECT purpose, subject, requester, application, steps, state, expires_at, nonce, created_at, enterprise FROM face_challenges WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    r.map(|r| {
        Ok(StoredChallenge {
            purpose: FacePurpose::parse(r.get(0))?,
            subject: r.get(1),
            requester: r.get(2),
            application: r.get(3),
            steps: r.get(4),
            state: ChallengeState::parse(r.get(5))?,
            expires_at: r.get(6),
            nonce: r.get(7),
            created_at: r.get(8),
            enterprise: r.get(9),
        })
    })
    .transpose()
}

/// The enterprise a new counter check acts for (its legal representative faces the camera).
pub async fn set_enterprise(tx: &mut WriteTx, id: &str, uscc: &str) -> HubResult<()> {
    sqlx::query("UPDATE face_challenges SET enterprise = $1 WHERE id = $2")
        .bind(uscc)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A challenge's state and attempts so far, read under the writer.
pub async fn attempts_in(tx: &mut WriteTx, id: &str) -> HubResult<(ChallengeState, i64)> {
    let (state, attempts): (String, i64) =
        sqlx::query_as("SELECT state, attempts FROM face_challenges WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    Ok((ChallengeState::parse(&state)?, attempts))
}

/// Count a failed attempt; `closed` refuses the challenge for good.
pub async fn failed_attempt(
    tx: &mut WriteTx,
    id: &str,
    attempts: i64,
    closed: bool,
    now: i64,
) -> HubResult<()> {
    let state = if closed {
        ChallengeState::Refused
    } else {
        ChallengeState::Open
    };
    sqlx::query(
        "UPDATE face_challenges SET attempts = $1, state = $2, decided_at = $3 WHERE id = $4",
    )
    .bind(attempts)
    .bind(state.as_str())
    .bind(closed.then_some(now))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The challenge passed.
pub async fn passed(tx: &mut WriteTx, id: &str, now: i64) -> HubResult<()> {
    sqlx::query("UPDATE face_challenges SET attempts = attempts + 1, state = $1, decided_at = $2 WHERE id = $3")
        .bind(ChallengeState::Passed.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The department whose name ends with `suffix`, of the applicant's county (`area`) if
/// there is one, else any in this hub.
pub async fn department_ending(db: &Db, suffix: &str, area: &str) -> HubResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT code FROM departments WHERE name LIKE $1 ORDER BY (region = $2) DESC, code LIMIT 1",
    )
    .bind(format!("%{suffix}"))
    .bind(area)
    .fetch_optional(&db.read)
    .await?)
}

/// An application as stored, with the names it shows.
pub struct StoredApplication {
    pub id: String,
    pub matter: String,
    pub state: ApplicationState,
    pub applicant: String,
    pub applicant_name: String,
    pub agent_name: Option<String>,
    pub department_name: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub filed_at: Option<i64>,
    /// The certificates released to it (JSON list of receipts).
    pub released: String,
}

pub async fn application(db: &Db, id: &str) -> HubResult<Option<StoredApplication>> {
    let r = sqlx::query(
        "SELECT a.id, a.matter, a.state, a.applicant, p.name, a.created_at, a.expires_at, a.filed_at, a.released, d.name, \
         (SELECT pp.name FROM holders h JOIN people pp ON pp.id_number = h.id_number WHERE h.id = a.agent) \
         FROM applications a JOIN people p ON p.id_number = a.applicant JOIN departments d ON d.code = a.department WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    r.map(|r| {
        let released: Option<String> = r.get(8);
        Ok(StoredApplication {
            id: r.get(0),
            matter: r.get(1),
            state: ApplicationState::parse(r.get(2))?,
            applicant: r.get(3),
            applicant_name: r.get(4),
            created_at: r.get(5),
            expires_at: r.get(6),
            filed_at: r.get(7),
            released: released.unwrap_or_else(|| "[]".into()),
            department_name: r.get(9),
            agent_name: r.get(10),
        })
    })
    .transpose()
}

/// An application, read under the writer: (matter, state, expires at, department's name).
pub async fn application_in(
    tx: &mut WriteTx,
    id: &str,
) -> HubResult<(String, ApplicationState, i64, String)> {
    let r = sqlx::query(
        "SELECT a.matter, a.state, a.expires_at, d.name FROM applications a JOIN departments d ON d.code = a.department WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((
        r.get(0),
        ApplicationState::parse(r.get(1))?,
        r.get(2),
        r.get(3),
    ))
}

/// What filing an application came to.
pub enum Filing {
    Filed,
    /// It was not awaiting the face check any more.
    NotAwaiting,
    /// The person is registered for the matter already (one filed application each).
    Duplicate,
}

/// File an application awaiting its face check, with what was released to it.
pub async fn file(tx: &mut WriteTx, id: &str, released: &str, now: i64) -> HubResult<Filing> {
    let done = sqlx::query(
        "UPDATE applications SET state = $1, filed_at = $2, released = $3 WHERE id = $4 AND state = $5",
    )
    .bind(ApplicationState::Filed.as_str())
    .bind(now)
    .bind(released)
    .bind(id)
    .bind(ApplicationState::AwaitingFace.as_str())
    .execute(&mut **tx)
    .await;
    match done {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(Filing::Duplicate),
        Err(e) => Err(HubError::from(e)),
        Ok(r) if r.rows_affected() == 0 => Ok(Filing::NotAwaiting),
        Ok(_) => Ok(Filing::Filed),
    }
}

/// Whether a person has a filed application for a matter.
pub async fn filed_for(db: &Db, matter: &str, applicant: &str) -> HubResult<bool> {
    let filed: Option<i64> = sqlx::query_scalar(
        "SELECT filed_at FROM applications WHERE matter = $1 AND applicant = $2 AND state = $3",
    )
    .bind(matter)
    .bind(applicant)
    .bind(ApplicationState::Filed.as_str())
    .fetch_optional(&db.read)
    .await?;
    Ok(filed.is_some())
}

/// A new application awaiting the applicant's face check.
pub struct NewApplication<'a> {
    pub id: &'a str,
    pub matter: &'a str,
    pub applicant: &'a str,
    pub agent: &'a str,
    pub department: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn open_application(tx: &mut WriteTx, a: NewApplication<'_>) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO applications (id, matter, applicant, agent, department, state, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(a.id)
    .bind(a.matter)
    .bind(a.applicant)
    .bind(a.agent)
    .bind(a.department)
    .bind(ApplicationState::AwaitingFace.as_str())
    .bind(a.now)
    .bind(a.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An application the applicant filed themselves at `at`, before this hub kept its own
/// (the register's history: a second one for the same matter is refused).
pub async fn record_filed(
    db: &Db,
    id: &str,
    matter: &str,
    applicant: &str,
    department: &str,
    at: i64,
) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO applications (id, matter, applicant, agent, department, state, released, created_at, expires_at, filed_at) \
         VALUES ($1, $2, $3, NULL, $4, $5, '[]', $6, $6, $6)",
    )
    .bind(id)
    .bind(matter)
    .bind(applicant)
    .bind(department)
    .bind(ApplicationState::Filed.as_str())
    .bind(at)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// The applications an agent filed, newest first (at most 100).
pub async fn by_agent(db: &Db, holder_id: &str) -> HubResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM applications WHERE agent = $1 ORDER BY created_at DESC, id LIMIT 100",
    )
    .bind(holder_id)
    .fetch_all(&db.read)
    .await?)
}

/// A person's photo in the register and its embedding, once computed.
pub async fn reference_photo(
    db: &Db,
    id_number: &str,
) -> HubResult<Option<(Vec<u8>, Option<Vec<u8>>)>> {
    Ok(
        sqlx::query_as("SELECT photo, embedding FROM person_photos WHERE id_number = $1")
            .bind(id_number)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Keep a photo's embedding, so it is computed once.
pub async fn keep_embedding(db: &Db, id_number: &str, embedding: Vec<u8>) -> HubResult<()> {
    sqlx::query("UPDATE person_photos SET embedding = $1 WHERE id_number = $2")
        .bind(embedding)
        .bind(id_number)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Whether the register holds a photo of a person.
pub async fn has_photo(db: &Db, id_number: &str) -> HubResult<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT 1 FROM person_photos WHERE id_number = $1")
            .bind(id_number)
            .fetch_optional(&db.read)
            .await?
            .is_some(),
    )
}

/// How long a frame's hash is kept to refuse it again (seconds).
pub const FRAMES_SEEN_SECS: i64 = 30 * 24 * 3600;

/// Whether any of these frame hashes was analysed before.
pub async fn any_frame_seen(db: &Db, hashes: &[String]) -> HubResult<bool> {
    for h in hashes {
        let hit: Option<i64> =
            sqlx::query_scalar("SELECT seen_at FROM face_frames_seen WHERE hash = $1")
                .bind(h)
                .fetch_optional(&db.read)
                .await?;
        if hit.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Remember analysed frames' hashes, and forget those older than [`FRAMES_SEEN_SECS`].
pub async fn remember_frames(tx: &mut WriteTx, hashes: &[String], now: i64) -> HubResult<()> {
    sqlx::query("DELETE FROM face_frames_seen WHERE seen_at < $1")
        .bind(now - FRAMES_SEEN_SECS)
        .execute(&mut **tx)
        .await?;
    for h in hashes {
        sqlx::query("INSERT INTO face_frames_seen (hash, seen_at) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING")
            .bind(h)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The applications a department received, newest first.
pub async fn applications_to(db: &Db, department: &str) -> HubResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM applications WHERE department = $1 ORDER BY created_at DESC, id",
    )
    .bind(department)
    .fetch_all(&db.read)
    .await?)
}
