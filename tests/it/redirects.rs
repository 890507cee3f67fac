//! Old addresses keep working: `aliases:` and every address a story was published at
//! before answer with a redirect page, from the history file kept beside site.yaml.

use crate::fixture::{front, Site};

fn article(slug: &str) -> String {
    format!(
        "{}\nslug: {slug}",
        front("新桥通车", "2022-08-02", "community")
    )
}

/// The redirect page at `old` (a site-relative folder) leads to `new`, relative and absolute.
fn redirects(site: &Site, old: &str, relative: &str, absolute: &str) {
    let page = site.read(&format!("public/{old}index.html"));
    assert!(
        page.contains(&format!(
            "<meta http-equiv=\"refresh\" content=\"0; url={relative}\">"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!("<a href=\"{relative}\">新桥通车</a>")),
        "{page}"
    );
    assert!(
        page.contains(&format!("<link rel=\"canonical\" href=\"{absolute}\">")),
        "{page}"
    );
    assert!(
        page.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{page}"
    );
}

#[test]
fn aliases_answer_with_a_redirect_page_and_optionally_a_redirects_file() {
    let site = Site::new();
    site.write(
        "site.yaml",
        &format!("{}redirects_file: true\n", crate::fixture::SITE_YAML),
    );
    site.article(
        "bridge.md",
        &format!(
            "{}\naliases: [/2021/12/31/old-bridge/, 2021/bridge]",
            article("bridge")
        ),
        "正文。\n",
    );
    site.build();
    let to = "https://news.example.org/2022/08/02/bridge/";
    redirects(
        &site,
        "2021/12/31/old-bridge/",
        "../../../../2022/08/02/bridge/",
        to,
    );
    redirects(&site, "2021/bridge/", "../../2022/08/02/bridge/", to);
    assert_eq!(
        site.read("public/_redirects"),
        "/2021/12/31/old-bridge/ /2022/08/02/bridge/ 301\n/2021/bridge/ /2022/08/02/bridge/ 301\n"
    );
    // A redirect page is not a page of the site: not in the sitemap.
    assert!(!site.read("public/sitemap.xml").contains("old-bridge"));
}

#[test]
fn an_alias_cannot_take_another_page() {
    let site = Site::new();
    site.article("a.md", &article("a"), "正文。\n");
    site.article(
        "b.md",
        &format!(
            "{}\naliases: [/2022/08/02/a/]",
            front("另一篇", "2022-08-03", "community")
        ),
        "正文。\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/b.md:6:10: error: the earlier address /2022/08/02/a/index.html is already the page of the article content/a.md"),
        "{err}"
    );
}

#[test]
fn a_changed_slug_leaves_a_redirect_even_on_a_fresh_clone() {
    let site = Site::new();
    site.article("bridge.md", &article("new-bridge"), "正文。\n");
    site.build();
    assert!(site
        .read("url-history.txt")
        .contains("2022/08/02/new-bridge/\tcontent/bridge.md"));

    site.article("bridge.md", &article("bridge-opens"), "正文。\n");
    site.build();
    let old_address_leads_to_new = || {
        redirects(
            &site,
            "2022/08/02/new-bridge/",
            "../../../../2022/08/02/bridge-opens/",
            "https://news.example.org/2022/08/02/bridge-opens/",
        )
    };
    old_address_leads_to_new();
    // A fresh clone has no output and no build state, only the committed files.
    for generated in ["public", ".public.gazette"] {
        std::fs::remove_dir_all(site.path(generated)).expect("remove");
    }
    site.build();
    old_address_leads_to_new();
    // The address taken by another story later is that story's page, not a redirect.
    site.article("other.md", &article("new-bridge"), "另一篇。\n");
    site.build();
    assert!(site
        .read("public/2022/08/02/new-bridge/index.html")
        .contains("另一篇"));
}

/// Only what readers were given is history: a build that shows drafts or scheduled stories
/// is a preview, and their addresses may still change freely.
#[test]
fn a_build_with_drafts_or_scheduled_stories_records_no_address() {
    let site = Site::new();
    site.article("bridge.md", &article("bridge"), "正文。\n");
    site.article(
        "plan.md",
        &format!(
            "{}\ndraft: true",
            front("规划草稿", "2022-08-02", "community")
        ),
        "正文。\n",
    );
    site.article(
        "later.md",
        &front("明年的稿子", "2099-01-01", "community"),
        "正文。\n",
    );
    let previews: [&[&str]; 3] = [&["--drafts", "--future"], &["--drafts"], &["--future"]];
    for preview in previews {
        let run = site.run(&[&["build", "--output", "preview"], preview].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!site.exists("url-history.txt"), "{preview:?}");
    }
    site.build();
    let history = site.read("url-history.txt");
    assert!(
        history.contains("2022/08/02/bridge/\tcontent/bridge.md"),
        "{history}"
    );
    assert!(
        !history.contains("plan") && !history.contains("later"),
        "{history}"
    );
}

#[test]
fn the_preview_serves_the_same_redirects() {
    let site = Site::new();
    site.article(
        "bridge.md",
        &format!("{}\naliases: [/old/]", article("bridge")),
        "正文。\n",
    );
    let preview = gazette::pipeline::incremental::Preview::new(
        gazette::pipeline::BuildOptions::new(site.root()),
    )
    .expect("preview");
    let page = String::from_utf8_lossy(&preview.files()["old/index.html"]).into_owned();
    assert!(page.contains("url=../2022/08/02/bridge/"), "{page}");
}
