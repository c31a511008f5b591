//! The web page's files, embedded at build time from `assets/` (see `build.rs`): `GET /` is
//! `index.html`, `GET /static/NAME` any file by name.

/// Every file of `assets/`, sorted by name.
const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// An embedded file.
pub(crate) struct Asset {
    /// Its bytes.
    pub body: &'static [u8],
    /// Its `Content-Type`, from its extension.
    pub content_type: &'static str,
}

/// The embedded file of that name.
pub(crate) fn get(name: &str) -> Option<Asset> {
    let (name, body) = FILES.iter().find(|(n, _)| *n == name)?;
    Some(Asset {
        body,
        content_type: content_type(name),
    })
}

/// The names of the embedded files.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(n, _)| *n)
}

fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn types() {
        assert_eq!(
            super::content_type("app.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            super::content_type("index.html"),
            "text/html; charset=utf-8"
        );
        assert_eq!(super::content_type("x"), "application/octet-stream");
        assert!(
            super::get("index.html").is_some(),
            "assets/index.html is embedded"
        );
    }
}
