//! Feeds, sitemaps and structured data, read back by real parsers: Python's feedparser for
//! Atom and RSS, serde_json for JSON Feed and JSON-LD, quick-xml for sitemaps, and the Nu
//! Html Checker for every page of the sample site.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::fixture::{front, Site};

/// A test that needs a tool fails without it, naming what to install; it never passes unrun.
pub fn required(tool: &str, present: bool) {
    assert!(
        present,
        "{tool} is not installed: run .ci/install (it installs everything the tests need)"
    );
}

fn feed_site() -> Site {
    let site = Site::new();
    site.article(
        "2022/08/lift/index.md",
        &format!(
            "{}\ncorrespondent: 马瑞萍\ntags: [加装电梯, 老旧小区]\nimage: lift.png\nupdated: 2022-08-03\nsummary: 22栋楼用上电梯。",
            front("金芒果花苑小区22栋楼用上电梯 & <更多>", "2022-08-02 09:30", "community")
        ),
        "居民说好。\n\n![电梯](lift.png)\n\n[会议](../meeting.md)\n",
    );
    site.write_bytes("content/2022/08/lift/lift.png", &crate::build::png(8, 6));
    site.article(
        "2022/08/meeting.md",
        &format!(
            "{}\ntags: [擂台赛]",
            front("擂台赛观摩点评会议", "2022-08-01", "meetings")
        ),
        "会议召开。\n",
    );
    site.article(
        "2022/07/old.md",
        &front("七月旧闻", "2022-07-20", "community"),
        "旧闻。\n",
    );
    site.build();
    site
}

fn feedparser(path: &Path) -> Option<Value> {
    let script = r#"
import sys, json, time, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({
  "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title"),
  "entries": [{
    "title": e.get("title"), "link": e.get("link"),
    "authors": [a.get("name") for a in e.get("authors", [])],
    "published": e.get("published"), "updated": e.get("updated"),
    "published_utc": time.strftime("%Y-%m-%dT%H:%M", e.published_parsed) if e.get("published_parsed") else None,
    "tags": [t.get("term") for t in e.get("tags", [])],
    "content": (e.get("content") or [{}])[0].get("value") or e.get("summary"),
    "summary": e.get("summary"),
  } for e in d.entries]}, ensure_ascii=False))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

fn has_feedparser() -> bool {
    Command::new("python3")
        .args(["-c", "import feedparser"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn atom_and_rss_parse_cleanly_with_feedparser() {
    required(
        "Python's feedparser (pip install feedparser)",
        has_feedparser(),
    );
    let site = feed_site();
    for (file, version) in [("feed.xml", "atom10"), ("rss.xml", "rss20")] {
        let d = feedparser(&site.path(&format!("public/{file}"))).expect("feedparser ran");
        assert_eq!(d["bozo"], false, "{file}: {}", d["error"]);
        assert_eq!(d["version"], version);
        assert_eq!(d["title"], "测试时讯");
        let entries = d["entries"].as_array().expect("entries");
        let titles: Vec<&str> = entries
            .iter()
            .map(|e| e["title"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(
            titles,
            [
                "金芒果花苑小区22栋楼用上电梯 & <更多>",
                "擂台赛观摩点评会议",
                "七月旧闻"
            ],
            "{file}: newest first"
        );
        let lift = &entries[0];
        assert_eq!(lift["link"], "https://news.example.org/2022/08/02/lift/");
        assert_eq!(
            lift["authors"],
            serde_json::json!(["杨宜锦", "马瑞萍"]),
            "{file}"
        );
        // 09:30 in Asia/Shanghai, as the parser reads it back in UTC.
        assert_eq!(lift["published_utc"], "2022-08-02T01:30", "{file}: {lift}");
        let tags = lift["tags"].to_string();
        assert!(tags.contains("加装电梯"), "{file}: {tags}");
        let content = lift["content"].as_str().unwrap_or("");
        assert!(content.contains("居民说好"), "{file}: {content}");
        assert!(
            content.contains("https://news.example.org/2022/08/02/lift/lift-card.jpg"),
            "{file}: relative image left: {content}"
        );
        assert!(
            content.contains("https://news.example.org/2022/08/01/meeting/"),
            "{file}: relative link left: {content}"
        );
    }
    let atom = feedparser(&site.path("public/feed.xml")).expect("atom");
    assert!(atom["entries"][0]["updated"]
        .as_str()
        .unwrap_or("")
        .starts_with("2022-08-03"));
    let section =
        feedparser(&site.path("public/sections/community/rss.xml")).expect("section feed");
    assert_eq!(section["entries"].as_array().map(Vec::len), Some(2));
}

#[test]
fn feed_limit_caps_entries() {
    let site = Site::new();
    site.write(
        "site.yaml",
        &format!("{}feed_limit: 2\n", crate::fixture::SITE_YAML),
    );
    for d in 1..=4 {
        site.article(
            &format!("a{d}.md"),
            &front(&format!("稿{d}"), &format!("2022-08-0{d}"), "community"),
            "x\n",
        );
    }
    site.build();
    let feed: Value = serde_json::from_str(&site.read("public/feed.json")).expect("json");
    let titles: Vec<&str> = feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(titles, ["稿4", "稿3"]);
}

#[test]
fn json_feed_follows_version_1_1() {
    let site = feed_site();
    let feed: Value = serde_json::from_str(&site.read("public/feed.json")).expect("valid JSON");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "https://news.example.org/feed.json");
    let item = &feed["items"][0];
    assert_eq!(item["id"], "https://news.example.org/2022/08/02/lift/");
    assert_eq!(item["date_published"], "2022-08-02T09:30:00+08:00");
    assert_eq!(item["date_modified"], "2022-08-03T00:00:00+08:00");
    assert_eq!(item["authors"][1]["name"], "马瑞萍");
    assert_eq!(
        item["image"],
        "https://news.example.org/2022/08/02/lift/lift-card.jpg"
    );
    assert_eq!(
        item["tags"],
        serde_json::json!(["社区治理", "加装电梯", "老旧小区"])
    );
    assert_eq!(item["summary"], "22栋楼用上电梯。");
    // Every entry carries its whole body, not only the newest.
    let bodies: Vec<&str> = (feed["items"].as_array().expect("items").iter())
        .map(|i| i["content_html"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(bodies.len(), 3);
    for (body, text) in bodies.iter().zip(["居民说好", "会议召开", "旧闻"]) {
        assert!(body.contains(text), "{text} missing from {body:?}");
    }
}

#[test]
fn a_feed_is_dated_by_its_newest_change_and_described_by_the_site() {
    let site = feed_site();
    let head = |file: &str, first: &str| {
        site.read(file)
            .split(first)
            .next()
            .unwrap_or_default()
            .to_string()
    };
    // The lift story was updated on 08-03, after every story was published.
    let atom = head("public/feed.xml", "<entry>");
    assert!(
        atom.contains("<updated>2022-08-03T00:00:00+08:00</updated>"),
        "{atom}"
    );
    assert!(
        !atom.contains("<subtitle>"),
        "no description, no subtitle: {atom}"
    );
    let rss = head("public/rss.xml", "<item>");
    assert!(
        rss.contains("<lastBuildDate>Wed, 03 Aug 2022 00:00:00 +0800</lastBuildDate>"),
        "{rss}"
    );
    assert!(
        rss.contains("<description>测试时讯</description>"),
        "the title stands in: {rss}"
    );
    let meetings = head("public/sections/meetings/feed.xml", "<entry>");
    assert!(
        meetings.contains("<updated>2022-08-01T00:00:00+08:00</updated>"),
        "{meetings}"
    );

    // With a description, and a section nothing was filed in yet.
    site.write(
        "site.yaml",
        &crate::fixture::SITE_YAML.replace(
            "sections:\n",
            "description: 全县新闻\nsections:\n  - {key: culture, name: 文化}\n",
        ),
    );
    site.build();
    let atom = head("public/feed.xml", "<entry>");
    assert!(atom.contains("<subtitle>全县新闻</subtitle>"), "{atom}");
    let rss = head("public/rss.xml", "<item>");
    assert!(rss.contains("<description>全县新闻</description>"), "{rss}");
    // An empty feed keeps one fixed date, so rebuilding it changes no byte.
    let empty = site.read("public/sections/culture/feed.xml");
    assert!(
        empty.contains("<updated>1970-01-01T00:00:00Z</updated>"),
        "{empty}"
    );
    assert!(!site
        .read("public/sections/culture/rss.xml")
        .contains("lastBuildDate"));
}

/// `<loc>` values of a sitemap file.
fn locs(xml: &str, tag: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => inside = e.name().as_ref() == tag.as_bytes(),
            Ok(quick_xml::events::Event::Text(t)) if inside => {
                out.push(t.decode().map(|c| c.into_owned()).unwrap_or_default())
            }
            Ok(quick_xml::events::Event::End(_)) => inside = false,
            Ok(quick_xml::events::Event::Eof) => break,
            Err(e) => panic!("invalid XML: {e}"),
            _ => {}
        }
    }
    out
}

#[test]
fn sitemaps_list_every_page_and_the_latest_news() {
    let site = feed_site();
    let sitemap = site.read("public/sitemap.xml");
    let urls = locs(&sitemap, "loc");
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(site.path("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| e.path().to_path_buf())
        .collect();
    // Every page but search/ is listed.
    assert_eq!(urls.len(), pages.len() - 1, "{urls:?}");
    assert!(urls.contains(&"https://news.example.org/2022/08/02/lift/".to_string()));
    assert!(!urls.iter().any(|u| u.contains("/search/")));
    assert_eq!(locs(&sitemap, "lastmod").len(), urls.len());

    let news = site.read("public/news-sitemap.xml");
    // Two days before the newest article (2022-08-02 09:30): the 08-01 story is in, July's is not.
    assert_eq!(
        locs(&news, "loc"),
        [
            "https://news.example.org/2022/08/02/lift/",
            "https://news.example.org/2022/08/01/meeting/"
        ]
    );
    assert_eq!(locs(&news, "news:language"), ["zh-cn", "zh-cn"]);
    assert_eq!(locs(&news, "news:name")[0], "测试时讯");
    assert_eq!(
        locs(&news, "news:publication_date")[0],
        "2022-08-02T09:30:00+08:00"
    );
    assert!(news.contains("xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\""));

    let robots = site.read("public/robots.txt");
    assert!(robots.contains("Sitemap: https://news.example.org/sitemap.xml"));
    assert!(robots.contains("Sitemap: https://news.example.org/news-sitemap.xml"));
}

#[test]
fn articles_carry_news_article_json_ld_and_open_graph() {
    let site = feed_site();
    let html = site.read("public/2022/08/02/lift/index.html");
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("end");
    let ld: Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "金芒果花苑小区22栋楼用上电梯 & <更多>");
    assert_eq!(ld["datePublished"], "2022-08-02T09:30:00+08:00");
    assert_eq!(ld["dateModified"], "2022-08-03T00:00:00+08:00");
    assert_eq!(
        ld["author"][0],
        serde_json::json!({"@type": "Person", "name": "杨宜锦", "url": "https://news.example.org/people/yang-yijin/"})
    );
    assert_eq!(ld["author"][1]["name"], "马瑞萍");
    assert_eq!(ld["publisher"]["name"], "测试时讯");
    assert_eq!(ld["articleSection"], "社区治理");
    assert_eq!(ld["keywords"], serde_json::json!(["加装电梯", "老旧小区"]));
    assert_eq!(ld["inLanguage"], "zh-CN");
    assert_eq!(
        ld["image"][0],
        "https://news.example.org/2022/08/02/lift/lift-card.jpg"
    );
    assert_eq!(
        ld["mainEntityOfPage"]["@id"],
        "https://news.example.org/2022/08/02/lift/"
    );
    assert!(
        !html[start..end].contains("<更多>"),
        "`<` must be escaped inside the script"
    );

    for meta in [
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"article:published_time\" content=\"2022-08-02T09:30:00+08:00\">",
        "<meta property=\"article:section\" content=\"社区治理\">",
        "<meta property=\"article:tag\" content=\"加装电梯\">",
        // The article has a cover photo: a shared link shows it large.
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        "<link rel=\"canonical\" href=\"https://news.example.org/2022/08/02/lift/\">",
    ] {
        assert!(html.contains(meta), "missing {meta}");
    }
    for page in [
        "public/index.html",
        "public/sections/community/index.html",
        "public/tags/index.html",
    ] {
        let html = site.read(page);
        assert!(html.contains("<link rel=\"canonical\""), "{page}");
        assert!(
            html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""),
            "{page}"
        );
    }
}

/// The Nu Html Checker's jar: from GAZETTE_VNU_JAR (set by .ci/run) or .ci/node_modules.
pub fn vnu_jar() -> Option<PathBuf> {
    let candidates = [
        std::env::var("GAZETTE_VNU_JAR").ok().map(PathBuf::from),
        Some(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(".ci/node_modules/vnu-jar/build/dist/vnu.jar"),
        ),
    ];
    candidates.into_iter().flatten().find(|p| p.exists())
}

#[test]
fn every_page_of_the_sample_site_passes_the_nu_html_checker() {
    let jar = vnu_jar();
    required(
        "the Nu Html Checker (npm install --prefix .ci vnu-jar, and a Java runtime)",
        jar.is_some(),
    );
    let jar = jar.unwrap_or_default();
    let (_dir, public) = crate::theme::built_sample();
    let check = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .arg(&public)
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&check.stderr).into_owned()
        + &String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && !report.to_lowercase().contains("error:"),
        "Nu Html Checker errors:\n{report}"
    );
}
