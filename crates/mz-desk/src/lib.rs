//! A department's proof desk. Kiosks order proofs (房查证明, 社保参保证明) through the hub; the
//! desk, run by the department beside its own records, reads its pending orders, composes each
//! proof from the records (`register`) and seals it with the department's seal key, which never
//! leaves the department. What the records do not support is refused with a reason the kiosk
//! shows. Logs name orders and outcomes, never a person.

pub mod register;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use futures_util::StreamExt;
use mz_client::{Client, ClientError};
use mz_core::api::{DeptProofOrder, PushEvent};
use mz_core::catalogue::CertType;
use mz_core::cert::{Certificate, CertificateBody};
use mz_core::ids::{LicenseId, Uscc};
use mz_softkey::SealKey;
use register::{Finding, Register};
use std::collections::BTreeMap;

/// How an order was answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answered {
    Issued {
        order_id: String,
        license_id: String,
    },
    Refused {
        order_id: String,
        reason: String,
    },
}

pub struct Desk {
    client: Client,
    seal: SealKey,
    register: Register,
}

/// Without a push, pending orders are read again this often (a lost stream, a missed event).
const REREAD_SECS: u64 = 30;

impl Desk {
    /// A desk that calls the hub with `client` (signed with the department's API key) and seals
    /// with `seal`.
    pub fn new(client: Client, seal: SealKey, register: Register) -> Desk {
        Desk {
            client,
            seal,
            register,
        }
    }

    /// Answer every order waiting now; `today` dates the proofs.
    pub async fn answer_pending(&self, today: NaiveDate) -> Result<Vec<Answered>, ClientError> {
        let orders = self.client.proof_orders().await?;
        if orders.is_empty() {
            return Ok(vec![]);
        }
        let catalogue = self.client.catalogue().await?;
        let mut answered = Vec::new();
        for order in orders {
            let t = catalogue
                .cert_types
                .iter()
                .find(|t| t.code == order.cert_type);
            let answer = match t {
                Some(t) => self.answer(&order, t, today).await,
                None => self.refuse(&order, "目录中无此证明类型".into()).await,
            };
            match answer {
                Ok(a) => answered.push(a),
                // Answered already (another desk of the department), or past its time.
                Err(e) if e.code() == Some("proof_closed") => {}
                Err(e) => return Err(e),
            }
        }
        Ok(answered)
    }

    async fn answer(
        &self,
        order: &DeptProofOrder,
        t: &CertType,
        today: NaiveDate,
    ) -> Result<Answered, ClientError> {
        let given = given_fields(order, today);
        match self
            .register
            .find(&t.code, &order.subject.code, &t.fields, &given)
        {
            Finding::Fields(face) => {
                let certificate = self.compose(order, t, face, today)?;
                let license_id = self
                    .client
                    .issue_proof(&order.order_id, certificate)
                    .await?
                    .license_id;
                tracing::info!(order = %order.order_id, %license_id, "proof issued");
                Ok(Answered::Issued {
                    order_id: order.order_id.clone(),
                    license_id,
                })
            }
            Finding::Refuse(reason) => self.refuse(order, reason).await,
        }
    }

    async fn refuse(
        &self,
        order: &DeptProofOrder,
        reason: String,
    ) -> Result<Answered, ClientError> {
        self.client.refuse_proof(&order.order_id, &reason).await?;
        tracing::info!(order = %order.order_id, "proof refused");
        Ok(Answered::Refused {
            order_id: order.order_id.clone(),
            reason,
        })
    }

    /// The proof, sealed: its serial is the order's id, so an order makes one proof.
    fn compose(
        &self,
        order: &DeptProofOrder,
        t: &CertType,
        face: BTreeMap<String, String>,
        today: NaiveDate,
    ) -> Result<Certificate, ClientError> {
        let bad = |e: mz_core::CoreError| ClientError::Other(e.to_string());
        let issuer = Uscc::parse(&order.department_code).map_err(bad)?;
        let serial = order.order_id.replace('-', "").to_ascii_uppercase();
        let days = i64::from(self.register.valid_days(&t.code));
        let body = CertificateBody {
            license_id: LicenseId::new(&t.type_code(), &issuer, &serial, 1).map_err(bad)?,
            name: t.name.clone(),
            type_code: t.code.clone(),
            number: format!("{}-{}", today.format("%Y%m%d"), &serial[..8]),
            issuer_name: order.department_name.clone(),
            issuer_code: issuer,
            issue_date: today,
            holder_code_type: order.subject.code_type,
            holder_code: order.subject.code.clone(),
            holder_name: order.subject.name.clone(),
            valid_from: today,
            valid_to: Some(today + Duration::days(days - 1)),
            face,
            disclosable: t.disclosable,
        };
        body.seal(&self.seal)
            .map_err(|e| ClientError::Other(e.to_string()))
    }

    /// Answer orders as they come, for ever: pushed on the department's event stream, and read
    /// again every [`REREAD_SECS`] and after every reconnection.
    pub async fn run(&self) {
        loop {
            let events = self.client.department_events().await;
            self.answer_logged().await;
            let Ok(events) = events else {
                tracing::warn!(
                    "the hub's event stream is unavailable; reading orders every {REREAD_SECS} s"
                );
                tokio::time::sleep(std::time::Duration::from_secs(REREAD_SECS)).await;
                continue;
            };
            let mut events = std::pin::pin!(events);
            loop {
                let next = tokio::time::timeout(
                    std::time::Duration::from_secs(REREAD_SECS),
                    events.next(),
                )
                .await;
                match next {
                    Ok(Some(Ok(PushEvent::ProofOrdered { .. } | PushEvent::Resync {})))
                    | Err(_) => self.answer_logged().await,
                    Ok(Some(Ok(_))) => {}
                    Ok(Some(Err(_)) | None) => break,
                }
            }
        }
    }

    async fn answer_logged(&self) {
        if let Err(e) = self.answer_pending(china_day(self.client.now())).await {
            tracing::warn!(error = %e, "could not answer the pending proof orders");
        }
    }
}

/// What the desk fills itself: the subject's name and number as the hub registered them, and
/// the day of the search.
fn given_fields(order: &DeptProofOrder, today: NaiveDate) -> BTreeMap<String, String> {
    let s = &order.subject;
    let date = today.format("%Y年%m月%d日").to_string();
    [
        ("姓名", &s.name),
        ("公民身份号码", &s.code),
        ("名称", &s.name),
        ("统一社会信用代码", &s.code),
        ("查询时间", &date),
        ("出具日期", &date),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect()
}

/// The day in China (UTC+8), where the proofs are dated, at unix time `at`.
pub fn china_day(at: i64) -> NaiveDate {
    let east8 = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    DateTime::<Utc>::from_timestamp(at, 0)
        .unwrap_or_default()
        .with_timezone(&east8)
        .date_naive()
}
