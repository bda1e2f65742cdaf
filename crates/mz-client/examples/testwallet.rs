//! A test wallet on mz-client for end-to-end tests of the web pages: one line in, one line out.
//!
//! Its commands are in [`USAGE`] (`testwallet --help` prints them).
//!
//! Any failure prints `error <code> <message>`.

use futures_util::StreamExt;
use mz_client::Client;
use mz_core::api::PushEvent;
use mz_core::codes::{Principal, Scope};
use std::io::{BufRead, Write};
use std::sync::Arc;
use tokio::sync::mpsc;

/// The commands, one a line in, one answer a line out.
const USAGE: &str = r#"usage: testwallet <hub url>

One command a line on standard input, one answer a line on standard output:

  enrol <id-number> <name>          -> pending <counter code>   (the device waits for confirmation)
  confirmed                         -> ok <holder-id>   (once confirmed: listens for prompts)
  code identity                     -> code <text>
  code show <type-no>               -> code <text>
  code delegated <grant-id> <type-no> -> code <text>
  code expired                      -> code <text>   (an identity code made 2 minutes ago)
  code stranger                     -> code <text>   (well-formed, signed, but no hub knows it)
  approve <type,type|->             -> decided <state> <request-id>   (waits for the next prompt)
  login <kiosk login code>          -> login <terminal name> | <place>
  grant <agent-id> <agent-name> <type,type> <days> -> grant <grant-id>
  object <type> <reason…>           -> objection <id>   (异议 to my (or my enterprise's) first certificate of a type)
  terminal <enrolment code>         -> terminal <id>   (from now on this process is a terminal)
  confirm <counter code> <id-number> -> confirmed <masked name>   (a counter confirms a device)
  redeem <code>                     -> redeemed <redemption-id> <kind>
  ask <redemption> <matter> <t,t>   -> asked <request-id>
  release <request-id>              -> released <type,type>
  kiosk-png <path>                  -> kiosk-png <session-id>   (a fresh login code as a QR image)
  kiosk-wait                        -> logged-in <holder name>  (waits for the push)
  decode <png path>                 -> decoded <text>           (QR code in a screenshot)
  rogue-login-code                  -> code <text>   (a login code from a terminal no hub knows)

Any failure prints `error <code> <message>`.
"#;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let hub = match std::env::args().nth(1) {
        Some(a) if a == "--help" || a == "-h" => {
            print!("{USAGE}");
            return;
        }
        Some(url) => url,
        None => {
            eprint!("{USAGE}");
            std::process::exit(2);
        }
    };
    let client = Client::new(&hub).with_signer(Arc::new(mz_softkey::SoftKey::generate()));
    let (line_tx, mut lines) = mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for l in std::io::stdin().lock().lines().map_while(Result::ok) {
            if line_tx.send(l).is_err() {
                break;
            }
        }
    });
    let mut prompts: Option<mpsc::UnboundedReceiver<PushEvent>> = None;
    let mut region = 0u32;
    let mut id_number = String::new();
    let mut terminal: Option<(Client, String)> = None;
    while let Some(line) = lines.recv().await {
        // Codes may contain spaces (base45): `login` takes the rest of the line as it is.
        let words: Vec<&str> = match ["login ", "redeem "]
            .iter()
            .find_map(|p| line.strip_prefix(p).map(|rest| (p.trim(), rest)))
        {
            Some((cmd, code)) => vec![cmd, code],
            None => line.split_whitespace().collect(),
        };
        let fail = |e: mz_client::ClientError| {
            format!(
                "error {} {}",
                e.code().unwrap_or("client"),
                e.to_string().replace('\n', " ")
            )
        };
        let out = match run_terminal(&hub, &words, &mut terminal, &mut prompts).await {
            Some(r) => r.unwrap_or_else(fail),
            None => run(&client, &words, &mut prompts, &mut region, &mut id_number)
                .await
                .unwrap_or_else(fail),
        };
        println!("{out}");
        std::io::stdout().flush().ok();
    }
}

async fn run(
    c: &Client,
    w: &[&str],
    prompts: &mut Option<mpsc::UnboundedReceiver<PushEvent>>,
    region: &mut u32,
    me: &mut String,
) -> mz_client::Result<String> {
    let bad = || mz_client::ClientError::Other("bad command".into());
    match w {
        ["enrol", id, name] => {
            let r = c.enrol(id, name, "e2e test wallet").await?;
            *region = c.hub_info().await?.region.parse().unwrap_or(0);
            *me = id.to_string();
            Ok(format!("pending {}", r.counter_code))
        }
        ["confirmed"] => {
            let holder_id = c.me().await?.holder_id;
            let mut events = Box::pin(c.holder_events().await?);
            let (tx, rx) = mpsc::unbounded_channel();
            // wait for `ready` so no prompt is missed
            let _ = events.next().await;
            tokio::spawn(async move {
                while let Some(Ok(ev)) = events.next().await {
                    if tx.send(ev).is_err() {
                        break;
                    }
                }
            });
            *prompts = Some(rx);
            Ok(format!("ok {holder_id}"))
        }
        ["code", "expired"] => {
            let h = c.handles(1).await?[0];
            let then = c.now() - 120;
            let past = c.clone().with_clock(Arc::new(move || then));
            Ok(format!(
                "code {}",
                past.holder_code(*region, h, Scope::Identity)?
            ))
        }
        ["code", "stranger"] => {
            let other =
                Client::new(c.base()).with_signer(Arc::new(mz_softkey::SoftKey::generate()));
            Ok(format!(
                "code {}",
                other.holder_code(*region, [0x5A; 16], Scope::Identity)?
            ))
        }
        ["code", kind, rest @ ..] => {
            let h = c.handles(1).await?[0];
            let scope = match (*kind, rest) {
                ("identity", []) => Scope::Identity,
                ("show", [no]) => Scope::Certificate {
                    cert_type: no.parse().map_err(|_| bad())?,
                    ordinal: 0,
                },
                ("show", [no, ordinal]) => Scope::Certificate {
                    cert_type: no.parse().map_err(|_| bad())?,
                    ordinal: ordinal.parse().map_err(|_| bad())?,
                },
                ("delegated", [g, no]) => Scope::Delegated {
                    grant: uuid(g)?,
                    cert_type: no.parse().map_err(|_| bad())?,
                },
                _ => return Err(bad()),
            };
            Ok(format!("code {}", c.holder_code(*region, h, scope)?))
        }
        ["approve", types] => {
            let rx = prompts.as_mut().ok_or_else(bad)?;
            let req = loop {
                match tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv()).await {
                    Ok(Some(PushEvent::AuthRequest { request })) => break request,
                    Ok(Some(_)) => continue,
                    _ => return Err(mz_client::ClientError::Other("no prompt arrived".into())),
                }
            };
            let list: Vec<&str> = if *types == "-" {
                vec![]
            } else {
                types.split(',').collect()
            };
            let v = c.decide(&req.request_id, &list).await?;
            Ok(format!("decided {} {}", v.state, v.request_id))
        }
        ["login", code] => {
            let (body, t) = c.check_login_code(code).await?;
            c.approve_login(&body).await?;
            Ok(format!("login {} | {}", t.name, t.place))
        }
        ["object", type_code, reason @ ..] if !reason.is_empty() => {
            let mine = c.certificates().await?;
            let cert = mine
                .iter()
                .find(|v| v.certificate.body.type_code == *type_code)
                .ok_or_else(bad)?;
            let license = cert.certificate.body.license_id.to_string();
            let o = c.object(&license, &reason.join(" ")).await?;
            Ok(format!("objection {}", o.objection_id))
        }
        ["grant", agent, agent_name, types, days] => {
            let now = c.now();
            let days: i64 = days.parse().map_err(|_| bad())?;
            let g = c
                .grant(
                    Principal::Person(me.clone()),
                    agent,
                    agent_name,
                    &types.split(',').collect::<Vec<_>>(),
                    &[],
                    now,
                    now + days * 86_400,
                )
                .await?;
            Ok(format!("grant {}", g.grant_id))
        }
        _ => Err(bad()),
    }
}

/// Terminal-side commands; `None` when the line is not one of them.
async fn run_terminal(
    hub: &str,
    w: &[&str],
    t: &mut Option<(Client, String)>,
    events: &mut Option<mpsc::UnboundedReceiver<PushEvent>>,
) -> Option<mz_client::Result<String>> {
    let bad = || mz_client::ClientError::Other("enrol the terminal first".into());
    Some(match w {
        ["terminal", code] => {
            async {
                let c = Client::new(hub).with_signer(Arc::new(mz_softkey::SoftKey::generate()));
                let info = c.enrol_terminal(code).await?;
                let mut stream = Box::pin(c.terminal_events().await?);
                let _ = stream.next().await;
                let (tx, rx) = mpsc::unbounded_channel();
                tokio::spawn(async move {
                    while let Some(Ok(ev)) = stream.next().await {
                        if tx.send(ev).is_err() {
                            break;
                        }
                    }
                });
                *events = Some(rx);
                *t = Some((c, info.terminal_id.clone()));
                Ok(format!("terminal {}", info.terminal_id))
            }
            .await
        }
        ["confirm", code, id_number] => {
            async {
                let (c, _) = t.as_ref().ok_or_else(bad)?;
                let r = c.confirm_device(code, id_number).await?;
                Ok(format!("confirmed {}", r.holder_name_masked))
            }
            .await
        }
        ["redeem", code] => {
            async {
                let (c, _) = t.as_ref().ok_or_else(bad)?;
                let r = c.redeem(code).await?;
                Ok(format!("redeemed {} {}", r.redemption_id, r.kind))
            }
            .await
        }
        ["ask", red, matter, types] => {
            async {
                let (c, _) = t.as_ref().ok_or_else(bad)?;
                let r = c
                    .request_authorization(red, matter, &types.split(',').collect::<Vec<_>>(), true)
                    .await?;
                Ok(format!("asked {}", r.request_id))
            }
            .await
        }
        ["release", id] => {
            async {
                let (c, _) = t.as_ref().ok_or_else(bad)?;
                let mut types: Vec<String> = c
                    .release(id)
                    .await?
                    .certificates
                    .into_iter()
                    .map(|v| v.certificate.body.type_code)
                    .collect();
                types.sort();
                Ok(format!("released {}", types.join(",")))
            }
            .await
        }
        ["kiosk-png", path] => {
            async {
                let (c, tid) = t.as_ref().ok_or_else(bad)?;
                let s = c.open_login().await?;
                let region: u32 = c.hub_info().await?.region.parse().unwrap_or(0);
                let code = c.login_code(region, tid, &s.session_id)?;
                let qr = qrcode::QrCode::with_error_correction_level(
                    code.as_bytes(),
                    qrcode::EcLevel::M,
                )
                .map_err(|e| mz_client::ClientError::Other(e.to_string()))?;
                let (w, colors) = (qr.width(), qr.to_colors());
                let scale = 8u32;
                let size = (w as u32 + 8) * scale;
                let img = image::GrayImage::from_fn(size, size, |x, y| {
                    let (mx, my) = ((x / scale) as i64 - 4, (y / scale) as i64 - 4);
                    let dark = mx >= 0
                        && my >= 0
                        && (mx as usize) < w
                        && (my as usize) < w
                        && colors[my as usize * w + mx as usize] == qrcode::Color::Dark;
                    image::Luma([if dark { 0 } else { 255 }])
                });
                img.save(path)
                    .map_err(|e| mz_client::ClientError::Other(e.to_string()))?;
                Ok(format!("kiosk-png {}", s.session_id))
            }
            .await
        }
        ["kiosk-wait"] => {
            async {
                let rx = events.as_mut().ok_or_else(bad)?;
                loop {
                    match tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv()).await
                    {
                        Ok(Some(PushEvent::LoggedIn { holder_name, .. })) => {
                            return Ok(format!("logged-in {holder_name}"))
                        }
                        Ok(Some(_)) => continue,
                        _ => return Err(mz_client::ClientError::Other("no login arrived".into())),
                    }
                }
            }
            .await
        }
        ["rogue-login-code"] => {
            async {
                let rogue = Client::new(hub).with_signer(Arc::new(mz_softkey::SoftKey::generate()));
                let region: u32 = rogue.hub_info().await?.region.parse().unwrap_or(0);
                Ok(format!(
                    "code {}",
                    rogue.login_code(
                        region,
                        "0b9f3c1e-5d2a-4e8f-9a7b-123456789abc",
                        "1c9f3c1e-5d2a-4e8f-9a7b-123456789abc"
                    )?
                ))
            }
            .await
        }
        ["decode", path] => {
            async {
                let img = image::open(path)
                    .map_err(|e| mz_client::ClientError::Other(e.to_string()))?
                    .to_luma8();
                let mut p = rqrr::PreparedImage::prepare(img);
                let texts: Vec<String> = p
                    .detect_grids()
                    .into_iter()
                    .filter_map(|g| g.decode().ok().map(|(_, t)| t))
                    .collect();
                texts
                    .into_iter()
                    .next()
                    .map(|t| format!("decoded {t}"))
                    .ok_or_else(|| mz_client::ClientError::Other("no QR code found".into()))
            }
            .await
        }
        _ => return None,
    })
}

fn uuid(s: &str) -> mz_client::Result<[u8; 16]> {
    hex::decode(s.replace('-', ""))
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| mz_client::ClientError::Other("bad grant id".into()))
}
