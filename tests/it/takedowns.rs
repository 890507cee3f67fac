//! A story taken down for legal reasons: its address answers with a notice readers and
//! crawlers understand, and nothing else of the site — listings, feeds, sitemaps, search,
//! its photos — carries it any more.

use crate::fixture::{front, Site};

fn site_with_a_takedown(unpublished: &str) -> Site {
    let site = Site::new();
    site.article(
        "keep.md",
        &format!(
            "{}\ntags: [夜市]",
            front("留下的报道", "2022-08-03", "community")
        ),
        "留下的正文。\n",
    );
    site.article(
        "gone/index.md",
        &format!(
            "{}\ntags: [夜市]\nimage: p.png\nimage_caption: 现场{unpublished}",
            front("撤下的报道", "2022-08-02", "community")
        ),
        "不该再出现的正文，见[另一篇](../keep.md)。\n",
    );
    site.write_bytes("content/gone/p.png", &crate::build::png(40, 30));
    site.article(
        "links.md",
        &front("提到它的报道", "2022-08-04", "meetings"),
        "参见[那篇](gone/index.md)。\n",
    );
    site
}

/// Every published file but the notice page, as text.
fn everything_else(site: &Site, notice: &str) -> String {
    crate::fixture::snapshot(&site.path("public"))
        .into_iter()
        .filter(|(p, _)| !p.ends_with(notice))
        .map(|(p, bytes)| format!("{}\n{}", p.display(), String::from_utf8_lossy(&bytes)))
        .collect()
}

#[test]
fn a_taken_down_story_leaves_only_a_notice_at_its_address() {
    // Positive path first: before the takedown, the story is everywhere.
    let site = site_with_a_takedown("");
    site.build();
    let all = everything_else(&site, "2022/08/02/gone/index.html");
    assert!(all.contains("撤下的报道") && all.contains("2022/08/02/gone/p-card.jpg"));

    let site =
        site_with_a_takedown("\nunpublished: {date: 2022-09-01, reason: 依据法院裁定撤下。}");
    site.build();
    let notice = site.read("public/2022/08/02/gone/index.html");
    assert!(notice.contains("撤下的报道"), "{notice}");
    assert!(
        notice.contains("本报已于2022年9月1日撤下此稿。"),
        "{notice}"
    );
    assert!(notice.contains("依据法院裁定撤下。"), "{notice}");
    assert!(
        notice.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{notice}"
    );
    assert!(!notice.contains("不该再出现的正文"), "{notice}");

    let all = everything_else(&site, "2022/08/02/gone/index.html");
    assert!(
        !all.contains("撤下的报道"),
        "listed, fed or indexed somewhere"
    );
    assert!(!all.contains("不该再出现"), "the body went out somewhere");
    assert!(!all.contains("gone/p"), "its photo is still published");
    assert!(!site.read("public/sitemap.xml").contains("2022/08/02/gone/"));
    // A link to it from another story still leads to the address, which still answers.
    assert!(site
        .read("public/2022/08/04/links/index.html")
        .contains("href=\"../../../../2022/08/02/gone/\""));
}

#[test]
fn a_takedown_needs_a_real_date() {
    let site = site_with_a_takedown("\nunpublished: {date: 九月一日}");
    let err = site.build_fails();
    assert!(err.contains("content/gone/index.md"), "{err}");
    assert!(
        err.contains("`九月一日` is written with Chinese date marks"),
        "{err}"
    );
}
