//! At the hub that holds the holder: a relayed call arriving from a peer, checked, audited and
//! answered with the operations this hub's own terminals use, or passed on.

use super::*;

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
