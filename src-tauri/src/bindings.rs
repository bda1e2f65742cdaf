//! The wallet shell's TypeScript (`ui/src/wallet/commands.ts`): its own types, its commands
//! and its events. The hub's API types come from `mz_core::ts` (`ui/src/shared/bindings.ts`).

use crate::{command_signatures, event_signatures, CmdError, ShownCode, Status};
use ts_rs::{Config, TS};

/// The types only the shell's commands carry (the wallet's cards, its status, a shown code).
fn shell_types(cfg: &Config) -> String {
    let mut out = String::new();
    macro_rules! declare {
        ($($t:ty),*) => { $( out.push_str(&format!("export {}\n\n", <$t as TS>::decl(cfg))); )* };
    }
    declare!(
        mz_wallet::PendingEnrolment,
        mz_wallet::Card,
        mz_wallet::CardsView,
        Status,
        ShownCode,
        CmdError
    );
    out
}

/// The wallet shell's commands and events as typed TypeScript (`ui/src/wallet/commands.ts`):
/// one function per command with its arguments' and result's types, and a typed `on` for
/// events. Checked in; `tests/bindings.rs` fails when it is stale.
pub fn typescript_commands() -> String {
    let cfg = mz_core::ts::config();
    let camel = |s: &str| {
        let mut out = String::new();
        let mut up = false;
        for c in s.chars() {
            if c == '_' {
                up = true;
            } else {
                out.push(if up { c.to_ascii_uppercase() } else { c });
                up = false;
            }
        }
        out
    };
    let mut body = shell_types(&cfg);
    body.push_str("export const commands = {\n");
    for (name, args, ret) in command_signatures(&cfg) {
        let ret = if ret == "null" {
            "void".to_string()
        } else {
            ret
        };
        if args.is_empty() {
            body.push_str(&format!(
                "  {}: () => invoke<{ret}>('{name}'),\n",
                camel(name)
            ));
        } else {
            let fields: Vec<String> = args
                .iter()
                .map(|(a, t)| match t.strip_suffix(" | null") {
                    Some(inner) => format!("{}?: {inner} | null", camel(a)),
                    None => format!("{}: {t}", camel(a)),
                })
                .collect();
            body.push_str(&format!(
                "  {}: (args: {{ {} }}) => invoke<{ret}>('{name}', args),\n",
                camel(name),
                fields.join("; ")
            ));
        }
    }
    body.push_str("};\n\n/** The shell's events and their payloads. */\nexport type Events = {\n");
    for (name, ty) in event_signatures(&cfg) {
        body.push_str(&format!("  {name}: {ty};\n"));
    }
    body.push_str("};\n\n/** Listen to one of the shell's events, typed by its name. */\nexport function on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): Promise<UnlistenFn> {\n  return listen<Events[K]>(event, (e) => handler(e.payload));\n}\n");
    // Import the generated types this file names.
    let api = mz_core::ts::bindings();
    let mut used: Vec<String> = body
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| {
            w.starts_with(|c: char| c.is_ascii_uppercase())
                && api.contains(&format!("export type {w} "))
        })
        .map(str::to_string)
        .collect();
    used.sort();
    used.dedup();
    used.retain(|w| w != "Events" && w != "UnlistenFn" && w != "K" && w != "Array");
    format!(
        "// Generated from Rust by `MZ_UPDATE_BINDINGS=1 cargo test -p mz-wallet-app --test bindings`. Do not edit.\n// The wallet shell's own types, its commands (src-tauri/src/lib.rs `commands!`) and events (`events!`).\n\nimport {{ invoke }} from '@tauri-apps/api/core';\nimport {{ listen, type UnlistenFn }} from '@tauri-apps/api/event';\nimport type {{ {} }} from '../shared/bindings';\n\n{body}",
        used.join(", ")
    )
}
