//! `archivist serve`: the index (built from the bundled corpus on first use) in a browser.

use anyhow::Result;

use super::index::open_for_search;
use crate::cli::ServeArgs;
use crate::serve;
use crate::settings::Settings;

pub fn run(args: &ServeArgs, settings: &Settings) -> Result<u8> {
    let token = match (&args.token, args.new_token) {
        (Some(token), _) => Some(token.clone()),
        (None, true) => Some(serve::new_token()?),
        (None, false) => None,
    };
    let store = open_for_search(settings)?;
    serve::run(
        store,
        serve::ServeOptions {
            bind: args.bind,
            token,
            allow_hosts: args.allow_host.clone(),
        },
    )
}
