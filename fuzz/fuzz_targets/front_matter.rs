//! Front-matter splitting, YAML parsing and validation on arbitrary file contents:
//! whatever an editor saves, Gazette answers with diagnostics, never a panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gazette::config::Config;
use gazette::load::{parse_text, ContentFile};
use libfuzzer_sys::fuzz_target;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let yaml = "title: t\nbase_url: https://x.org/\ntimezone: Asia/Shanghai\nsections: [{key: community, name: 社区}]\n";
        Config::parse(yaml, Path::new("site.yaml")).unwrap_or_else(|_| unreachable!())
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = ContentFile { path: PathBuf::from("content/a.md"), assets: Vec::new(), is_bundle: false };
    if let Ok(loaded) = parse_text(file, text) {
        let _ = gazette::validate::validate(loaded, config());
    }
    let _ = Config::parse(text, Path::new("site.yaml"));
});
