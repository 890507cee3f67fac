//! The security corpus: hostile input from a correspondent, and what the published site,
//! its feeds and the preview must then never do. One module per concern of issue 12.

mod body;
mod content;
mod output;
mod parsing;
mod preview;

use crate::fixture::{front, Site};

/// A site with one article whose body is `body`, at `content/2024/05/x.md` (body line 1 is
/// file line 7).
pub fn site_with_body(body: &str) -> Site {
    let site = Site::new();
    site.article(
        "2024/05/x.md",
        &front("来稿", "2024-05-01 09:00", "community"),
        body,
    );
    site
}

/// The article page and the body HTML each feed carries (Atom, RSS and JSON, site and
/// section), read back with a parser, concatenated. (Listings and feed summaries are plain
/// text, escaped: they are not here.)
pub fn published(site: &Site) -> String {
    let mut all = site.read("public/2024/05/01/x/index.html");
    for dir in ["public/", "public/sections/community/"] {
        let json: serde_json::Value =
            serde_json::from_str(&site.read(&format!("{dir}feed.json"))).expect("JSON Feed");
        for item in json["items"].as_array().expect("items") {
            all.push_str(item["content_html"].as_str().unwrap_or_default());
        }
        for feed in ["feed.xml", "rss.xml"] {
            all.push_str(&xml_text_of(
                &site.read(&format!("{dir}{feed}")),
                &["content", "content:encoded"],
            ));
        }
    }
    all
}

/// The unescaped text of every element named in `names`.
fn xml_text_of(xml: &str, names: &[&str]) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut inside = false;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => {
                inside = names.iter().any(|n| e.name().as_ref() == n.as_bytes());
            }
            Ok(quick_xml::events::Event::Text(t)) if inside => {
                out.push_str(&t.xml_content().expect("XML text"));
            }
            Ok(quick_xml::events::Event::CData(t)) if inside => {
                out.push_str(&String::from_utf8_lossy(&t));
            }
            Ok(quick_xml::events::Event::End(_)) => inside = false,
            Ok(quick_xml::events::Event::Eof) => break,
            Err(e) => panic!("feed is not XML: {e}"),
            _ => {}
        }
    }
    out
}
