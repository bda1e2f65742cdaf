//! At the terminal's hub: a terminal's call about another region's holder goes out through
//! the federation, and the hub remembers which hub holds what it got back.

use super::*;

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
