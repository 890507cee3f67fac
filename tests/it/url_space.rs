//! Files editors supply never silently replace a page Gazette makes: an article, bundle
//! file or static file on a generated path is an error naming both, in `build`, `check`
//! and the preview alike. And what a shared link shows: descriptions and cards.

use gazette::pipeline::incremental::{Change, Preview};
use gazette::pipeline::BuildOptions;

use crate::fixture::{front, Site};

fn with_permalink_by_slug() -> Site {
    let site = Site::new();
    site.write(
        "site.yaml",
        &format!("{}permalink: /{{slug}}/\n", crate::fixture::SITE_YAML),
    );
    site.article(
        "a.md",
        &front("正常的报道", "2022-08-02", "community"),
        "正文。\n",
    );
    site
}

fn preview(site: &Site) -> Result<Preview, Vec<gazette::diag::Diagnostic>> {
    Preview::new(BuildOptions {
        drafts: true,
        future: true,
        ..BuildOptions::new(site.root())
    })
}

/// The diagnostics as English text (the site's language would make them Chinese).
fn messages(diags: &[gazette::diag::Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.render(None, gazette::diag::Lang::En))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Build, check and the preview all refuse the site with an error containing `expected`.
fn refused_everywhere(site: &Site, expected: &str) {
    site.refused(expected);
    match preview(site) {
        Ok(_) => panic!("the preview showed a site whose build fails on: {expected}"),
        Err(d) => assert!(messages(&d).contains(expected), "serve:\n{}", messages(&d)),
    }
}

#[test]
fn an_article_slug_cannot_take_a_generated_page() {
    let site = with_permalink_by_slug();
    // Positive path first: the same site with an ordinary slug builds.
    site.article(
        "b.md",
        &format!(
            "{}\nslug: tag-list",
            front("标签报道", "2022-08-03", "community")
        ),
        "正文。\n",
    );
    site.build();
    assert!(site.read("public/tags/index.html").contains("标签"));
    assert!(site.read("public/tag-list/index.html").contains("标签报道"));

    for (slug, taken) in [
        ("tags", "the list of tags"),
        ("search", "the search page"),
        ("people", "the list of people"),
        ("archive", "the archive"),
    ] {
        site.article(
            "b.md",
            &format!(
                "{}\nslug: {slug}",
                front("标签报道", "2022-08-03", "community")
            ),
            "正文。\n",
        );
        refused_everywhere(
            &site,
            &format!("content/b.md:6:7: error: this article's address /{slug}/ is already {taken}"),
        );
    }
}

#[test]
fn a_static_file_cannot_replace_a_section_page_or_a_feed() {
    let site = with_permalink_by_slug();
    site.write("static/sections/community/about.html", "<p>关于</p>");
    site.build();
    assert_eq!(
        site.read("public/sections/community/about.html"),
        "<p>关于</p>"
    );

    site.write(
        "static/sections/community/index.html",
        "<p>手写的栏目页</p>",
    );
    refused_everywhere(
        &site,
        "static/sections/community/index.html: error: this file would be published as /sections/community/index.html, in place of the page of section `community`",
    );
    std::fs::remove_file(site.path("static/sections/community/index.html")).unwrap();
    site.write("static/feed.xml", "<feed/>");
    refused_everywhere(&site, "in place of the file Gazette makes at /feed.xml");
}

#[test]
fn nothing_may_land_in_the_search_index_folder() {
    let site = with_permalink_by_slug();
    site.write("static/pagefind/pagefind.js", "alert(1)");
    refused_everywhere(
        &site,
        "static/pagefind/pagefind.js: error: this file would be published as /pagefind/pagefind.js, in place of the search index's folder /pagefind/",
    );
    // With search off the folder is free.
    site.write(
        "site.yaml",
        &format!(
            "{}permalink: /{{slug}}/\nsearch: false\n",
            crate::fixture::SITE_YAML
        ),
    );
    site.build();
    assert_eq!(site.read("public/pagefind/pagefind.js"), "alert(1)");
}

#[test]
fn a_bundle_file_cannot_replace_its_article_page() {
    let site = Site::new();
    site.article(
        "2022/b/index.md",
        &front("带图的报道", "2022-08-02", "community"),
        "正文。\n",
    );
    site.write("content/2022/b/notes.html", "<p>附件</p>");
    site.build();
    assert!(site
        .read("public/2022/08/02/b/index.html")
        .contains("带图的报道"));
    assert_eq!(site.read("public/2022/08/02/b/notes.html"), "<p>附件</p>");

    site.write("content/2022/b/index.html", "<p>旧网页</p>");
    refused_everywhere(
        &site,
        "content/2022/b/index.html: error: this file would be published as /2022/08/02/b/index.html, in place of the page of the article content/2022/b/index.md",
    );
}

#[test]
fn the_preview_refuses_a_colliding_file_saved_while_it_runs_and_recovers() {
    let site = Site::new();
    site.article(
        "2022/b/index.md",
        &front("带图的报道", "2022-08-02", "community"),
        "正文。\n",
    );
    let mut preview = preview(&site).expect("the site builds");
    let page = "2022/08/02/b/index.html";
    let before = preview.files()[page].clone();

    site.write("content/2022/b/index.html", "<p>旧网页</p>");
    let err = preview
        .apply(&Change::Content(vec!["content/2022/b/index.html".into()]))
        .expect_err("a file over the article's page is refused");
    assert!(
        messages(&err).contains("in place of the page of the article content/2022/b/index.md"),
        "{}",
        messages(&err)
    );
    assert_eq!(
        preview.files()[page],
        before,
        "the last good page is still served"
    );

    std::fs::rename(
        site.path("content/2022/b/index.html"),
        site.path("content/2022/b/old.html"),
    )
    .unwrap();
    let update = preview
        .apply(&Change::Content(vec![
            "content/2022/b/index.html".into(),
            "content/2022/b/old.html".into(),
        ]))
        .expect("renamed, the file no longer collides");
    assert!(update
        .changed
        .contains(&"2022/08/02/b/old.html".to_string()));
    assert_eq!(preview.files()[page], before);
}

#[test]
fn a_removed_bundle_file_leaves_the_preview() {
    let site = Site::new();
    site.article(
        "2022/b/index.md",
        &front("带图的报道", "2022-08-02", "community"),
        "正文。\n",
    );
    site.write("content/2022/b/notes.txt", "附件");
    let mut preview = preview(&site).expect("the site builds");
    assert!(preview.files().contains_key("2022/08/02/b/notes.txt"));
    std::fs::remove_file(site.path("content/2022/b/notes.txt")).unwrap();
    let update = preview
        .apply(&Change::Content(vec!["content/2022/b/notes.txt".into()]))
        .expect("a removal applies");
    assert_eq!(update.removed, vec!["2022/08/02/b/notes.txt".to_string()]);
    assert!(!preview.files().contains_key("2022/08/02/b/notes.txt"));
}

fn meta<'a>(html: &'a str, attr: &str, name: &str) -> Option<&'a str> {
    let start = format!("<meta {attr}=\"{name}\" content=\"");
    let from = html.find(&start)? + start.len();
    html[from..].split('"').next()
}

#[test]
fn an_article_is_described_by_its_summary_and_a_cover_makes_a_large_card() {
    let site = Site::new();
    site.write(
        "site.yaml",
        &format!("{}description: 全县新闻\n", crate::fixture::SITE_YAML),
    );
    site.article(
        "plain.md",
        &front("没有摘要的报道", "2022-08-02", "community"),
        "小区二十二栋楼的电梯今天投入使用，居民不再爬楼。\n\n第二段。\n",
    );
    site.article(
        "written.md",
        &format!(
            "{}\nsummary: 编辑写的摘要",
            front("有摘要的报道", "2022-08-03", "community")
        ),
        "正文第一段。\n",
    );
    site.article(
        "cover/index.md",
        &format!(
            "{}\nimage: photo.png",
            front("有题图的报道", "2022-08-04", "community")
        ),
        "题图报道的正文。\n",
    );
    site.write_bytes("content/cover/photo.png", &crate::build::png(1600, 900));
    site.build();

    let plain = site.read("public/2022/08/02/plain/index.html");
    let derived = "小区二十二栋楼的电梯今天投入使用，居民不再爬楼。";
    assert!(
        meta(&plain, "name", "description").is_some_and(|d| d.starts_with(derived)),
        "{plain}"
    );
    assert!(meta(&plain, "property", "og:description").is_some_and(|d| d.starts_with(derived)));
    assert_eq!(meta(&plain, "name", "twitter:card"), Some("summary"));
    assert!(
        plain.contains(&format!("\"description\":\"{derived}")),
        "JSON-LD carries it too"
    );

    let written = site.read("public/2022/08/03/written/index.html");
    assert_eq!(meta(&written, "name", "description"), Some("编辑写的摘要"));
    assert_eq!(
        meta(&written, "property", "og:description"),
        Some("编辑写的摘要")
    );

    let cover = site.read("public/2022/08/04/cover/index.html");
    assert_eq!(
        meta(&cover, "name", "twitter:card"),
        Some("summary_large_image")
    );
    assert_eq!(
        meta(&cover, "property", "og:image"),
        Some("https://news.example.org/2022/08/04/cover/photo-card.jpg")
    );

    // Pages that are not articles keep the site's description.
    let home = site.read("public/index.html");
    assert_eq!(meta(&home, "name", "description"), Some("全县新闻"));
}
