//! Every bulletin in its own language: an English site prints no Chinese around its
//! articles, a zh-TW site prints Traditional labels, a site can reword any string, and
//! `gazette init --lang` starts a site in its language.

use std::collections::BTreeSet;
use std::path::Path;

#[cfg(feature = "browser-tests")]
use crate::browser::browser;
use crate::fixture::Site;
use crate::theme::static_server;

const ENGLISH_SITE: &str = "title: Riverside Weekly Bulletin
base_url: https://news.example.org/
language: en
timezone: America/New_York
paginate: 2
sections:
  - {key: city, name: City Hall}
  - {key: schools, name: Schools}
people:
  Jane Doe: {role: Reporter, bio: Covers city hall.}
";

/// Article text that contains Chinese on purpose: a story may quote any language. The test
/// removes exactly this phrase before looking for Chinese in what Gazette itself wrote.
const QUOTED_CHINESE: &str = "龙舟赛";

fn english_site() -> Site {
    let site = Site::new();
    site.write("site.yaml", ENGLISH_SITE);
    let story = |n: u32, date: &str, section: &str, extra: &str| {
        site.article(
            &format!("2026/11/story-{n}.md"),
            &format!(
                "title: Bridge repairs begin, part {n}\nreporter: [Jane Doe, John Roe]\n\
                 correspondent: Sam Poe\ndate: {date}\nsection: {section}\n\
                 tags: [roads, budget]\ndateline: \"RIVERSIDE, Nov. 21 —\"\n{extra}"
            ),
            &format!(
                "Crews started work on the old bridge on Monday. The work will take six weeks.\n\n\
                 <!-- more -->\n\nFestival organisers also announced a dragon boat race ({QUOTED_CHINESE}).\n"
            ),
        );
    };
    story(1, "2026-11-21", "city", "updated: 2026-11-23\ncorrections: [{date: 2026-11-23, text: The bridge is on Elm Street.}]");
    story(2, "2026-11-22", "city", "");
    story(3, "2026-11-24", "city", "");
    story(4, "2026-11-24", "schools", "draft: true");
    story(5, "2099-01-01", "schools", "");
    site
}

/// Whether `c` is a CJK character or CJK/full-width punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Every page, feed and sitemap the build wrote (not Pagefind's binary index).
fn published_text(public: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.path().starts_with(public.join("pagefind")))
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(public)
                .ok()?
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((rel, text))
        })
        .collect()
}

#[test]
fn an_english_site_has_no_chinese_outside_its_articles() {
    let site = english_site();
    let run = site.run(&["build", "--drafts", "--future"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = published_text(&site.path("public"));
    let names: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for needed in [
        "index.html",
        "404.html",
        "search/index.html",
        "people/index.html",
        "tags/index.html",
        "archive/index.html",
        "archive/2026/11/index.html",
        "editions/2026-11-24/index.html",
        "sections/city/page/2/index.html",
        "feed.xml",
        "rss.xml",
        "feed.json",
        "sections/city/feed.xml",
        "search.js",
    ] {
        assert!(names.contains(needed), "{needed} was not built: {names:?}");
    }
    let article = site.read("public/2026/11/21/story-1/index.html");
    assert!(
        article.contains(QUOTED_CHINESE),
        "the quoted phrase must be in the body"
    );
    let mut leaks = Vec::new();
    for (path, text) in &files {
        let interface = text.replace(QUOTED_CHINESE, "");
        for line in interface.lines().filter(|l| l.chars().any(is_cjk)) {
            leaks.push(format!("{path}: {}", line.trim()));
        }
    }
    assert!(
        leaks.is_empty(),
        "Chinese in an English site's interface:\n{}",
        leaks.join("\n")
    );

    // What an English reader expects instead.
    let expect = |file: &str, what: &[&str]| {
        let text = site.read(&format!("public/{file}"));
        for w in what {
            assert!(text.contains(w), "{file} lacks {w:?}");
        }
    };
    expect(
        "2026/11/21/story-1/index.html",
        &[
            "<html lang=\"en\">",
            "Skip to content",
            ">By <a",
            ">Jane Doe</a> and <a",
            "Additional reporting by <a",
            "November 21, 2026",
            "1 min read",
            // An English dateline is joined to the story with a normal space.
            "RIVERSIDE, Nov. 21 —</span> Crews started",
            "Correction</strong> (November 23, 2026): The bridge",
            "Updated <time",
            "Related stories",
            "title=\"Riverside Weekly Bulletin (Atom)\"",
        ],
    );
    expect(
        "editions/2026-11-24/index.html",
        &[
            "Tuesday, November 24, 2026",
            "Edition of November 24, 2026",
            "2 articles in this edition",
            "Draft",
        ],
    );
    expect(
        "editions/2099-01-01/index.html",
        &["Scheduled", "1 article in this edition"],
    );
    expect(
        "sections/city/index.html",
        &[
            "3 articles",
            "Page 1 of 2",
            "Next",
            "By Jane Doe and John Roe",
        ],
    );
    expect(
        "archive/index.html",
        &[
            "November 2026",
            "4 articles",
            "<span class=\"count\">1 article</span>",
        ],
    );
    expect("404.html", &["Page not found", "Back to the front page"]);
    expect(
        "search/index.html",
        &["Search this site", "All sections", "stories about “{q}”"],
    );
    // One role vocabulary on the people page: the profile's "Reporter" and the defaults agree.
    let people = site.read("public/people/index.html");
    assert!(people.contains("<span class=\"role\">Reporter</span>"));
    assert!(people.contains("<span class=\"role\">Correspondent</span>"));
    let tags = site.read("public/tags/index.html");
    assert!(tags.contains("2 tags"), "{tags}");
}

#[test]
fn a_zh_tw_site_shows_traditional_labels() {
    let site = Site::new();
    site.write(
        "site.yaml",
        "title: 臺北社區報\nbase_url: https://news.example.org/\nlanguage: zh-TW\n\
         timezone: Asia/Taipei\npaginate: 1\nsections:\n  - {key: community, name: 社區}\n",
    );
    for (n, day) in [(1, 23), (2, 24)] {
        site.article(
            &format!("2026/11/a{n}.md"),
            &format!(
                "title: 銀行重新開放{n}\nreporter: 陳小明\ncorrespondent: 林大華\ndate: 2026-11-{day}\n\
                 section: community\ntags: [銀行]\ndateline: 本報訊"
            ),
            "重慶南路的銀行今天重新開放。\n",
        );
    }
    site.build();
    let page = site.read("public/2026/11/24/a2/index.html");
    for label in [
        "記者 <a",
        "通訊員 <a",
        "歸檔",
        "標籤",
        "首頁",
        "跳至正文",
        "約 1 分鐘讀完",
        "搜尋本站",
        "相關報導",
    ] {
        assert!(page.contains(label), "zh-TW article lacks {label}");
    }
    assert!(page.contains("本報訊</span>\u{3000}重慶"));
    let edition = site.read("public/editions/2026-11-24/index.html");
    assert!(edition.contains("2026年11月24日 星期二"));
    assert!(site
        .read("public/people/index.html")
        .contains("<span class=\"role\">記者</span>"));
    assert!(site
        .read("public/sections/community/index.html")
        .contains("第 1 / 2 頁"));

    // No character that only Simplified Chinese uses, anywhere Gazette wrote: the characters
    // of the zh-CN table that the zh-TW table never uses are the Simplified-only ones.
    let table = |code: &str| {
        std::fs::read_to_string(format!(
            "{}/src/i18n/strings/{code}.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("table")
    };
    let traditional: BTreeSet<char> = table("zh-TW").chars().collect();
    let simplified_only: BTreeSet<char> = table("zh-CN")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::chars)
        .filter(|c| is_cjk(*c) && !traditional.contains(c))
        .collect();
    assert!(simplified_only.len() > 30, "{simplified_only:?}");
    for (path, text) in published_text(&site.path("public")) {
        let found: Vec<char> = text
            .chars()
            .filter(|c| simplified_only.contains(c))
            .collect();
        assert!(
            found.is_empty(),
            "{path} has Simplified characters {found:?}"
        );
    }
}

/// Every `t(key="…")` in the built-in theme names a string that every language has (the
/// tables themselves are compared id by id in `gazette::i18n`'s unit tests).
#[test]
fn every_string_the_theme_asks_for_exists_in_every_language() {
    use gazette::i18n::{Language, Strings};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/bulletin");
    let mut asked = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for part in text.split("t(key=\"").skip(1) {
            asked.insert(part.split('"').next().unwrap_or_default().to_string());
        }
    }
    assert!(asked.len() > 60, "{asked:?}");
    for language in Language::ALL {
        let strings = Strings::builtin(language);
        let missing: Vec<&String> = asked.iter().filter(|id| !strings.contains(id)).collect();
        assert!(missing.is_empty(), "{}: no {missing:?}", language.code());
    }
}

#[test]
fn a_site_can_reword_any_string_and_a_wrong_id_is_an_error_at_its_line() {
    let site = english_site();
    site.write(
        "site.yaml",
        &format!(
            "{ENGLISH_SITE}strings:\n  nav.home: Front page\n  count.articles: {{one: \"{{n}} story\", other: \"{{n}} stories\"}}\n"
        ),
    );
    site.build();
    assert!(site.read("public/index.html").contains(">Front page</a>"));
    assert!(site
        .read("public/sections/city/index.html")
        .contains("3 stories"));

    site.write(
        "site.yaml",
        &format!("{ENGLISH_SITE}strings:\n  nav.hom: Front page\n"),
    );
    let err = site.build_fails();
    assert!(err.contains("site.yaml:12:3:"), "{err}");
    assert!(
        err.contains("`nav.hom`") && err.contains("did you mean `nav.home`?"),
        "{err}"
    );
}

#[test]
fn an_unknown_language_is_an_error_naming_the_supported_ones() {
    let site = Site::new();
    site.write(
        "site.yaml",
        &ENGLISH_SITE.replace("language: en", "language: chinese"),
    );
    let err = site.build_fails();
    assert!(err.contains("site.yaml:3:11:"), "{err}");
    assert!(err.contains("did you mean `language: zh-CN`?"), "{err}");
    assert!(err.contains("zh-CN, zh-TW, zh-HK, en"), "{err}");
}

#[test]
fn init_lang_makes_a_site_in_that_language_and_new_follows_it() {
    let site = Site::new();
    let run = site.run(&["init", "--lang", "en", "riverside"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = site.read("riverside/site.yaml");
    assert!(
        yaml.contains("language: en") && !yaml.chars().any(is_cjk),
        "{yaml}"
    );
    let run = site.run(&["build", "--root", "riverside"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = site.read("riverside/public/index.html");
    assert!(
        home.contains("Welcome to Gazette") && !home.chars().any(is_cjk),
        "{home}"
    );

    let run = site.run(&[
        "new",
        "--root",
        "riverside",
        "--section",
        "local",
        "Bridge to reopen",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let draft = site.read(&format!("riverside/{}", run.stdout.trim()));
    assert!(draft.contains("reporter: Staff reporter"), "{draft}");
    assert!(!draft.chars().any(is_cjk), "{draft}");

    let run = site.run(&["init", "--lang", "zh-TW", "taipei"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("taipei/site.yaml").contains("language: zh-TW"));
    let run = site.run(&["build", "--root", "taipei"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("taipei/public/index.html").contains("歡迎使用"));

    let run = site.run(&["init", "--lang", "english", "nowhere"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `en`?"), "{}", run.stderr);
    assert!(!site.exists("nowhere"));
}

/// Screenshots of an English article page and a zh-TW article page, in a real browser,
/// under target/screenshots-lang/ (regenerate: `cargo test --test integration languages`).
#[cfg(feature = "browser-tests")]
#[test]
fn english_and_zh_tw_pages_in_a_browser() {
    let english = english_site();
    english.build();
    let taiwan = Site::new();
    taiwan.write(
        "site.yaml",
        "title: 臺北社區報\nbase_url: https://news.example.org/\nlanguage: zh-TW\n\
         timezone: Asia/Taipei\nsections:\n  - {key: community, name: 社區}\n  - {key: city, name: 市政}\n",
    );
    taiwan.article(
        "2026/11/bank.md",
        "title: 重慶南路銀行重新開放\nkicker: 市區更新\nreporter: [陳小明, 王美玲]\ncorrespondent: 林大華\n\
         date: 2026-11-24\nsection: community\ntags: [銀行, 市區更新]\ndateline: 本報訊",
        "重慶南路的銀行今天重新開放，附近居民排隊辦理業務。\n\n銀行表示，整修工程歷時三個月。\n",
    );
    taiwan.build();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("screenshots-lang");
    let b = browser();
    for (name, site, path, expected) in [
        (
            "en-article",
            &english,
            "/2026/11/21/story-1/",
            "By Jane Doe and John Roe",
        ),
        (
            "zh-TW-article",
            &taiwan,
            "/2026/11/24/bank/",
            "記者 陳小明 王美玲",
        ),
    ] {
        let server = static_server(&site.path("public"));
        b.goto(&format!("{}{path}", server.base));
        b.wait_for("the page", "document.readyState === 'complete'");
        let byline = b.js("return document.querySelector('.byline').innerText;");
        assert!(
            byline.as_str().unwrap_or_default().contains(expected),
            "{name}: byline {byline}"
        );
        b.screenshot(&shots.join(format!("{name}.png")));
    }
}

#[test]
fn a_zh_hk_site_reads_with_hong_kong_usage() {
    let site = Site::new();
    site.write(
        "site.yaml",
        "title: 港島街坊報\nbase_url: https://news.example.org/\nlanguage: zh-HK\n\
         timezone: Asia/Hong_Kong\nsections:\n  - {key: district, name: 地區}\n",
    );
    site.article(
        "2026/11/a.md",
        "title: 街市重開\nreporter: 陳大文\ndate: 2026-11-24\nsection: district",
        "街市今日重開。\n",
    );
    site.build();
    let page = site.read("public/2026/11/24/a/index.html");
    assert!(page.contains("<html lang=\"zh-HK\">"));
    for label in [">主頁</a>", "記者 <a", "約 1 分鐘讀完"] {
        assert!(page.contains(label), "zh-HK article lacks {label}");
    }
    assert!(site.read("public/search/index.html").contains("有關的報道"));
    // Google News knows Traditional Chinese as zh-tw, whatever the region.
    assert!(site
        .read("public/news-sitemap.xml")
        .contains("<news:language>zh-tw</news:language>"));
}
