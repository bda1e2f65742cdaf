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

mod at_terminal;
mod inbound;
mod outbox;

pub use at_terminal::{
    get_request, lookup, redeem, release, remote_owner, remote_region, request_authorization,
};
pub use inbound::receive;
pub use outbox::{deliver_outbox, keep_decided, send_kept};

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
