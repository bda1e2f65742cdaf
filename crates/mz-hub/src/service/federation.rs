//! Federation: each hub serves one region and knows its parent hub and its child hubs
//! (`mz-hub peer`). A terminal that scans a holder code of another region asks its own hub,
//! which passes the call towards the region that holds the holder (up to the parent, down to
//! the child whose region contains it: city → province → city, as in the 漯河 and 跨市就医
//! scenarios). The hub that holds the holder applies its own rules, unchanged, to the remote
//! terminal, and tells the terminal's hub when the holder has decided.
//!
//! Every hop is an HTTP request signed with the sending hub's key and checked against the key
//! registered for that peer; every hub a call passes writes a `federation_hop` audit entry; a
//! child may only speak for its own region and a parent only for regions outside this one.

use crate::auth::{PeerCaller, TerminalCaller};
use crate::error::{fail, HubError, HubResult};
use crate::push::terminal_key;
use crate::service::uuid16;
use crate::service::{authorization, redemption};
use crate::store;
use crate::store::federation as stored;
use crate::{AppState, Db};
use mz_core::api::{
    AuthRequestCreate, AuthRequestView, FedCall, FedRelay, FedReply, PublicLookup, PushEvent,
    Redemption, Release, RemoteTerminal,
};
use mz_core::crypto::{PublicKey, Signer};
use mz_core::flow::{PeerRole, RequestState};
use mz_core::ids::{RegionCode, Uscc};
use mz_core::ErrorCode;
use std::sync::Arc;
use std::time::Duration;

/// A call passes at most this many hubs (county → city → province → national and back down).
pub const MAX_HOPS: usize = 8;
/// How long one hop may take before the caller is told the other hub did not answer.
pub const HOP_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone)]
pub struct Peer {
    pub region: RegionCode,
    pub role: PeerRole,
    pub name: String,
    pub url: String,
    pub public_key: PublicKey,
}

/// Register a parent or child hub (operator, `mz-hub peer add`). The parent's region must
/// contain this hub's; a child's must lie inside it. One parent at most.
#[allow(clippy::too_many_arguments)]
pub async fn add_peer(
    db: &Db,
    own: &RegionCode,
    role: &str,
    region: &RegionCode,
    name: &str,
    url: &str,
    key: &PublicKey,
    now: i64,
) -> HubResult<()> {
    let role = PeerRole::parse(role)
        .map_err(|_| fail(ErrorCode::BadRole, "a peer is a parent or a child"))?;
    match role {
        PeerRole::Parent if region != own && region.contains(own) => {}
        PeerRole::Parent => {
            return Err(fail(
                ErrorCode::NotParentRegion,
                format!("region {region} does not contain this hub's region {own}"),
            ))
        }
        PeerRole::Child if region != own && own.contains(region) => {}
        PeerRole::Child => {
            return Err(fail(
                ErrorCode::NotChildRegion,
                format!("region {region} is not inside this hub's region {own}"),
            ))
        }
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) || name.trim().is_empty() {
        return Err(fail(
            ErrorCode::BadPeer,
            "a peer needs a name and an http(s) URL",
        ));
    }
    let mut tx = db.begin_write().await?;
    let key_id = key.key_id().to_string();
    let taken = stored::peer_conflicting(&mut tx, region.as_str(), &key_id, role).await?;
    if let Some(r) = taken {
        return Err(fail(
            ErrorCode::PeerExists,
            format!("a peer ({r}) already has this region, this key, or the parent role"),
        ));
    }
    let new = stored::NewPeer {
        region: region.as_str(),
        role,
        name: name.trim(),
        url: url.trim_end_matches('/'),
        key,
        now,
    };
    stored::add_peer(&mut tx, new).await?;
    store::audit(&mut tx, now, "peer_add", "operator", None, serde_json::json!({ "region": region.as_str(), "role": role.as_str(), "name": name.trim(), "key": key.key_id().to_string() })).await?;
    tx.commit().await
}

/// Move a registered peer to another URL (same region, same key), audited.
pub async fn set_peer_url(db: &Db, region: &RegionCode, url: &str, now: i64) -> HubResult<()> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(fail(ErrorCode::BadPeer, "a peer needs an http(s) URL"));
    }
    let mut tx = db.begin_write().await?;
    if !stored::set_peer_url(&mut tx, region.as_str(), url.trim_end_matches('/')).await? {
        return Err(HubError::NotFound("peer"));
    }
    store::audit(
        &mut tx,
        now,
        "peer_url",
        "operator",
        None,
        serde_json::json!({ "region": region.as_str(), "url": url }),
    )
    .await?;
    tx.commit().await
}

pub async fn peers(db: &Db) -> HubResult<Vec<Peer>> {
    stored::peers(db)
        .await?
        .into_iter()
        .map(|(region, role, name, url, public_key)| {
            Ok(Peer {
                region: RegionCode::parse(&region)?,
                role,
                name,
                url,
                public_key,
            })
        })
        .collect()
}

/// Where a call for `to` goes from here: `None` when this hub holds that region itself, else
/// the child whose region contains it (the most specific), else the parent.
async fn next_hop(s: &AppState, to: &RegionCode) -> HubResult<Option<Peer>> {
    let peers = peers(&s.db).await?;
    let child = peers
        .iter()
        .filter(|p| p.role == PeerRole::Child && p.region.contains(to))
        .max_by_key(|p| p.region.as_str().trim_end_matches('0').len());
    if let Some(c) = child {
        return Ok(Some(c.clone()));
    }
    if s.region.contains(to) {
        return Ok(None);
    }
    peers
        .into_iter()
        .find(|p| p.role == PeerRole::Parent)
        .map(Some)
        .ok_or_else(|| no_route(to))
}

fn no_route(to: &RegionCode) -> HubError {
    fail(
        ErrorCode::NoRoute,
        format!("no hub for region {to} can be reached from this hub"),
    )
}

/// Send one hop, signed with this hub's key; the far side's refusal comes back unchanged.
async fn send(s: &AppState, peer: &Peer, relay: &FedRelay) -> HubResult<FedReply> {
    let client = peer_client(s, &peer.url);
    match tokio::time::timeout(HOP_TIMEOUT, client.relay(relay)).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(mz_client::ClientError::Api { code, message, .. })) => {
            Err(HubError::Remote { code, message })
        }
        Ok(Err(e)) => Err(fail(
            ErrorCode::PeerUnreachable,
            format!("the hub {} did not answer: {e}", peer.name),
        )),
        Err(_) => Err(fail(
            ErrorCode::PeerUnreachable,
            format!(
                "the hub {} did not answer within {} s",
                peer.name,
                HOP_TIMEOUT.as_secs()
            ),
        )),
    }
}

/// The client for a peer's URL, made once and kept (its connections are reused).
fn peer_client(s: &AppState, url: &str) -> mz_client::Client {
    let mut clients = s.peer_clients.lock().expect("peer clients lock");
    clients
        .entry(url.to_string())
        .or_insert_with(|| {
            let clock = s.clock.clone();
            let signer: Arc<dyn Signer> = s.hub_key.clone();
            mz_client::Client::new(url)
                .with_signer(signer)
                .with_clock(Arc::new(move || clock.now()))
        })
        .clone()
}

async fn audit_hop(
    s: &AppState,
    actor: &str,
    relay: &FedRelay,
    next: Option<&Peer>,
) -> HubResult<()> {
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let detail = serde_json::json!({ "op": relay.call.op(), "from": relay.from, "to": relay.to, "hops": relay.hops, "next": next.map(|p| p.region.to_string()) });
    store::audit(&mut tx, now, "federation_hop", actor, None, detail).await?;
    tx.commit().await
}

/// Start a call from this hub towards the hub that holds `to`.
async fn call(s: &AppState, actor: &str, to: &RegionCode, call: FedCall) -> HubResult<FedReply> {
    let next = next_hop(s, to)
        .await?
        .ok_or_else(|| HubError::Internal("a federated call for this hub's own region".into()))?;
    let relay = FedRelay {
        from: s.region.to_string(),
        to: to.to_string(),
        hops: vec![s.region.to_string()],
        call,
    };
    audit_hop(s, actor, &relay, Some(&next)).await?;
    send(s, &next, &relay).await
}

/// A relayed call arriving from a peer: check what that peer may say, audit, then answer it
/// here or pass it on.
pub async fn receive(s: &AppState, peer: &PeerCaller, mut relay: FedRelay) -> HubResult<FedReply> {
    let from = RegionCode::parse(&relay.from)?;
    let to = RegionCode::parse(&relay.to)?;
    let speaks_for = if peer.role == PeerRole::Child {
        peer.region.contains(&from)
    } else {
        !s.region.contains(&from)
    };
    if !speaks_for {
        return Err(fail(
            ErrorCode::NotYourRegion,
            format!(
                "the hub {} may not relay calls from region {from}",
                peer.name
            ),
        ));
    }
    if relay.hops.last() != Some(&peer.region.to_string())
        || relay.hops.len() > MAX_HOPS
        || relay.hops.contains(&s.region.to_string())
    {
        return Err(fail(
            ErrorCode::BadHops,
            "the relay's path is wrong, too long, or passes this hub twice",
        ));
    }
    let next = next_hop(s, &to).await?;
    if next.as_ref().is_some_and(|n| n.region == peer.region) {
        return Err(no_route(&to));
    }
    audit_hop(s, &format!("hub:{}", peer.region), &relay, next.as_ref()).await?;
    match next {
        Some(n) => {
            relay.hops.push(s.region.to_string());
            send(s, &n, &relay).await
        }
        None => answer(s, peer, &from, relay.call).await,
    }
}

/// Answer a call this hub holds the data for, with the same operations its own terminals use.
async fn answer(
    s: &AppState,
    peer: &PeerCaller,
    from: &RegionCode,
    call: FedCall,
) -> HubResult<FedReply> {
    Ok(match call {
        FedCall::Redeem { terminal, code } => FedReply::Redemption(
            redemption::redeem_code(s, &remote_terminal(s, peer, from, &terminal).await?, &code)
                .await?,
        ),
        FedCall::RequestAuthorization { terminal, request } => FedReply::Request(
            authorization::request_authorization(
                s,
                &remote_terminal(s, peer, from, &terminal).await?,
                request,
            )
            .await?,
        ),
        FedCall::GetRequest {
            terminal,
            request_id,
        } => FedReply::Request(
            authorization::request_for(
                s,
                &remote_terminal(s, peer, from, &terminal).await?,
                &request_id,
            )
            .await?,
        ),
        FedCall::Release {
            terminal,
            request_id,
        } => FedReply::Release(
            authorization::release_approved(
                s,
                &remote_terminal(s, peer, from, &terminal).await?,
                &request_id,
            )
            .await?,
        ),
        FedCall::Lookup { cert_type, holder } => FedReply::Lookup(
            crate::service::public::lookup_with_issuers(s, &cert_type, &holder).await?,
        ),
        FedCall::Decided {
            terminal_id,
            request_id,
            state,
            approved,
        } => {
            let known = stored::asked_through(&s.db, &request_id, from.as_str()).await?;
            if known.as_deref() != Some(terminal_id.as_str()) {
                return Err(HubError::NotFound("authorization request"));
            }
            s.push.send(
                &terminal_key(&terminal_id),
                &PushEvent::AuthDecided {
                    request_id,
                    state,
                    approved,
                },
            );
            FedReply::Delivered
        }
    })
}

/// The remote terminal as this hub records it (an id of its own, its department by name),
/// after checking it belongs to the region of the hub that vouches for it.
async fn remote_terminal(
    s: &AppState,
    peer: &PeerCaller,
    from: &RegionCode,
    t: &RemoteTerminal,
) -> HubResult<TerminalCaller> {
    uuid16("terminal id", &t.terminal_id)?;
    let region = RegionCode::parse(&t.region)?;
    let dept = Uscc::parse(&t.department_code)?;
    if !from.contains(&region) {
        return Err(fail(
            ErrorCode::NotYourRegion,
            "the terminal is not in the region of the hub that vouches for it",
        ));
    }
    if t.name.trim().is_empty() || t.department_name.trim().is_empty() {
        return Err(fail(
            ErrorCode::BadTerminal,
            "a remote terminal needs a name and a department",
        ));
    }
    let id = format!("fed-{from}-{}", t.terminal_id);
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let foreign = stored::ForeignTerminal {
        id: &id,
        kind: t.kind.as_str(),
        name: t.name.trim(),
        place: t.place.trim(),
        region: region.as_str(),
        department: dept.as_str(),
        department_name: t.department_name.trim(),
        origin: from.as_str(),
        remote_id: &t.terminal_id,
        now,
    };
    stored::record_foreign_terminal(&mut tx, foreign).await?;
    tx.commit().await?;
    Ok(TerminalCaller {
        id,
        kind: t.kind,
        name: t.name.trim().into(),
        place: t.place.trim().into(),
        region: region.to_string(),
        department: dept.to_string(),
        public_key: peer.public_key.clone(),
    })
}

// ---- at the terminal's hub ----

/// The holder code's home region, when another hub holds it.
pub fn remote_region(s: &AppState, code: &str) -> HubResult<Option<RegionCode>> {
    let region = mz_core::codes::ScannedHolderCode::parse(code)?.region();
    Ok((!s.region.contains(&region)).then_some(region))
}

/// The hub that holds `id` (a redemption or request this terminal got through federation).
pub async fn remote_owner(
    s: &AppState,
    id: &str,
    kind: &str,
    t: &TerminalCaller,
) -> HubResult<Option<RegionCode>> {
    let owner = stored::owner_of(&s.db, id, kind, &t.id).await?;
    owner
        .map(|o| RegionCode::parse(&o).map_err(HubError::from))
        .transpose()
}

async fn as_remote(s: &AppState, t: &TerminalCaller) -> HubResult<RemoteTerminal> {
    let department_name = stored::department_name(&s.db, &t.department).await?;
    Ok(RemoteTerminal {
        terminal_id: t.id.clone(),
        kind: t.kind,
        name: t.name.clone(),
        place: t.place.clone(),
        region: t.region.clone(),
        department_code: t.department.clone(),
        department_name,
    })
}

async fn remember(
    s: &AppState,
    id: &str,
    kind: &str,
    t: &TerminalCaller,
    owner: &RegionCode,
) -> HubResult<()> {
    uuid16("id", id)?;
    stored::remember(&s.db, id, kind, &t.id, owner.as_str(), s.now()).await
}

fn unexpected() -> HubError {
    fail(
        ErrorCode::PeerUnreachable,
        "the other hub answered with something else than was asked",
    )
}

/// Redeem another region's holder code through the federation.
pub async fn redeem(
    s: &AppState,
    t: &TerminalCaller,
    owner: &RegionCode,
    code: &str,
) -> HubResult<Redemption> {
    let FedReply::Redemption(r) = call(
        s,
        &format!("terminal:{}", t.id),
        owner,
        FedCall::Redeem {
            terminal: as_remote(s, t).await?,
            code: code.into(),
        },
    )
    .await?
    else {
        return Err(unexpected());
    };
    remember(s, &r.redemption_id, "redemption", t, owner).await?;
    Ok(r)
}

/// A public lookup in another region, answered by the hub that holds it.
pub async fn lookup(
    s: &AppState,
    region: &RegionCode,
    cert_type: &str,
    holder: &str,
) -> HubResult<PublicLookup> {
    let FedReply::Lookup(l) = call(
        s,
        "public",
        region,
        FedCall::Lookup {
            cert_type: cert_type.into(),
            holder: holder.into(),
        },
    )
    .await?
    else {
        return Err(unexpected());
    };
    Ok(l)
}

pub async fn request_authorization(
    s: &AppState,
    t: &TerminalCaller,
    owner: &RegionCode,
    request: AuthRequestCreate,
) -> HubResult<AuthRequestView> {
    let FedReply::Request(v) = call(
        s,
        &format!("terminal:{}", t.id),
        owner,
        FedCall::RequestAuthorization {
            terminal: as_remote(s, t).await?,
            request,
        },
    )
    .await?
    else {
        return Err(unexpected());
    };
    remember(s, &v.request_id, "request", t, owner).await?;
    Ok(v)
}

pub async fn get_request(
    s: &AppState,
    t: &TerminalCaller,
    owner: &RegionCode,
    request_id: &str,
) -> HubResult<AuthRequestView> {
    let FedReply::Request(v) = call(
        s,
        &format!("terminal:{}", t.id),
        owner,
        FedCall::GetRequest {
            terminal: as_remote(s, t).await?,
            request_id: request_id.into(),
        },
    )
    .await?
    else {
        return Err(unexpected());
    };
    Ok(v)
}

pub async fn release(
    s: &AppState,
    t: &TerminalCaller,
    owner: &RegionCode,
    request_id: &str,
) -> HubResult<Release> {
    let FedReply::Release(r) = call(
        s,
        &format!("terminal:{}", t.id),
        owner,
        FedCall::Release {
            terminal: as_remote(s, t).await?,
            request_id: request_id.into(),
        },
    )
    .await?
    else {
        return Err(unexpected());
    };
    Ok(r)
}

// ---- at the holder's hub ----

/// A holder decided a request from another hub's terminal: keep the message for that hub in
/// the decision's own transaction (so a stored decision always has its message), and return
/// its id for [`send_kept`] once committed. `None`: the terminal is this hub's own.
pub async fn keep_decided(
    tx: &mut store::WriteTx,
    terminal: &str,
    request_id: &str,
    state: RequestState,
    approved: &[String],
    now: i64,
) -> HubResult<Option<String>> {
    let Some((origin, remote_id)) = stored::foreign_terminal_origin(tx, terminal).await? else {
        return Ok(None);
    };
    let origin = RegionCode::parse(&origin)?;
    let call_ = FedCall::Decided {
        terminal_id: remote_id,
        request_id: request_id.into(),
        state,
        approved: approved.to_vec(),
    };
    let id = store::new_id();
    let json = serde_json::to_string(&call_).expect("plain data");
    stored::keep(tx, &id, origin.as_str(), &json, now).await?;
    Ok(Some(id))
}

/// Send a kept message now, in the background; one that fails stays kept for `deliver_outbox`.
pub fn send_kept(s: &AppState, id: String) {
    let s = s.clone();
    tokio::spawn(async move {
        let _ = deliver(&s, &id).await;
    });
}

/// After a failed try, the next one waits this long (doubling from 10 s, at most an hour).
fn retry_after(attempts: i64) -> i64 {
    (10i64 << attempts.clamp(0, 9)).min(3600)
}

/// Try to deliver one kept call; delivered, it is deleted, else its next try is scheduled.
async fn deliver(s: &AppState, id: &str) -> HubResult<bool> {
    let Some((region, call_, attempts)) = stored::kept(&s.db, id).await? else {
        return Ok(false);
    };
    let region = RegionCode::parse(&region)?;
    let call_: FedCall = serde_json::from_str(&call_)
        .map_err(|e| HubError::Internal(format!("kept call unreadable: {e}")))?;
    match call(s, "hub", &region, call_).await {
        Ok(_) => {
            stored::drop_kept(&s.db, id).await?;
            Ok(true)
        }
        // The far hub answered and refused (the terminal is gone…): retrying cannot help.
        Err(HubError::Remote { code, .. }) => {
            tracing::warn!(%code, region = %region, "the terminal's hub refused a decision; dropped");
            stored::drop_kept(&s.db, id).await?;
            Ok(false)
        }
        Err(e) => {
            tracing::warn!(code = e.code().as_str(), region = %region, attempts = attempts + 1, "could not tell the terminal's hub of a decision; kept to retry");
            let next_at = s.now() + retry_after(attempts);
            stored::retry_later(&s.db, id, next_at, e.code().as_str()).await?;
            Ok(false)
        }
    }
}

/// Deliver every kept call whose next try is due: (delivered, still kept). The hub runs this
/// every few seconds; tests call it.
pub async fn deliver_outbox(s: &AppState) -> HubResult<(usize, usize)> {
    let due = stored::due(&s.db, s.now()).await?;
    let mut delivered = 0;
    for id in &due {
        if deliver(s, id).await? {
            delivered += 1;
        }
    }
    let kept = stored::kept_count(&s.db).await?;
    Ok((delivered, kept as usize))
}
