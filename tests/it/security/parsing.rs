//! Bounded parsing: YAML aliases expand within a budget, and link positions and feed URLs
//! take one pass over a body, however many links it has.

use std::time::{Duration, Instant};

use super::site_with_body;
use crate::fixture::{front, Site, SITE_YAML};

/// `a: &a [lol × n]` and `b: [*a × n]`: n² values from a few bytes per value.
fn laughs(n: usize) -> String {
    format!(
        "a: &a [{}]\nb: [{}]\n",
        vec!["lol"; n].join(", "),
        vec!["*a"; n].join(", ")
    )
}

/// Generous for a debug build on a busy machine; without the budget this case takes
/// gigabytes and minutes.
const QUICKLY: Duration = Duration::from_secs(20);

#[test]
fn aliases_in_front_matter_stop_at_the_budget_with_the_line() {
    let site = Site::new();
    site.article(
        "2024/05/x.md",
        &format!(
            "{}\n{}",
            front("来稿", "2024-05-01 09:00", "community"),
            laughs(8000)
        ),
        "正文。\n",
    );
    let started = Instant::now();
    let err = site.build_fails();
    assert!(started.elapsed() < QUICKLY, "took {:?}", started.elapsed());
    assert!(
        err.contains("content/2024/05/x.md:6:")
            && err.contains("aliases (`*name`) repeat this value"),
        "{err}"
    );
}

#[test]
fn aliases_in_site_yaml_stop_at_the_budget_with_the_line() {
    let site = site_with_body("正文。\n");
    site.write("site.yaml", &format!("{SITE_YAML}{}", laughs(8000)));
    let started = Instant::now();
    let err = site.build_fails();
    assert!(started.elapsed() < QUICKLY, "took {:?}", started.elapsed());
    assert!(
        err.contains("site.yaml:10:") && err.contains("aliases"),
        "{err}"
    );
}

#[test]
fn a_few_aliases_are_fine() {
    let site = Site::new();
    site.article(
        "2024/05/x.md",
        "title: &t 来稿\nreporter: 杨宜锦\ndate: 2024-05-01 09:00\nsection: community\nsummary: *t",
        "正文。\n",
    );
    site.build();
    assert!(site.read("public/2024/05/01/x/index.html").contains("来稿"));
}

#[test]
fn a_broken_link_among_thousands_is_reported_at_its_own_line() {
    let mut body = String::new();
    for i in 0..5000 {
        body.push_str(&format!("[外链{i}](https://example.org/{i}) "));
        if i % 10 == 9 {
            body.push_str("\n\n");
        }
    }
    body.push_str("\n\n");
    let lines_before = body.matches('\n').count();
    body.push_str("然后 [断链](../nowhere.md)\n");
    let site = site_with_body(&body);
    let err = site.build_fails();
    let expected = format!("content/2024/05/x.md:{}:4:", lines_before + 7);
    assert!(err.contains(&expected), "wanted {expected} in:\n{err}");
}

#[test]
fn feed_urls_are_absolute_whatever_the_quoting_and_in_srcset() {
    let site = site_with_body(
        "<img src='photo.png' alt='照片' srcset='photo-800.png 800w, photo.png 1600w'>\n\n<a href='../other/'>另一篇</a>\n",
    );
    site.build();
    let base = "https://news.example.org/2024/05/01/x/";
    let feed = site.read("public/feed.json");
    for expected in [
        format!("src=\\\"{base}photo.png\\\""),
        format!("srcset=\\\"{base}photo-800.png 800w, {base}photo.png 1600w\\\""),
        "href=\\\"https://news.example.org/2024/05/01/other/\\\"".to_string(),
    ] {
        assert!(feed.contains(&expected), "missing {expected} in {feed}");
    }
}
