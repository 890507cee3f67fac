//! Body HTML: an allow-list on every body, the same in pages, feeds and the search index;
//! `check` names what it removed; one site.yaml setting opts out.

use serde_json::json;

use super::{published, site_with_body};
#[cfg(feature = "browser-tests")]
use crate::browser::browser;
use crate::fixture::{front, Site};

/// Each hostile body, and a marker that must not reach any published output. In the
/// browser test `alert(` becomes a counter, so a payload that runs is seen.
const ATTACKS: &[(&str, &str)] = &[
    ("<script>alert('xss01')</script>\n", "xss01"),
    ("<img src=\"x.png\" onerror=\"alert('xss02')\">\n", "xss02"),
    ("<iframe src=\"https://evil.example/xss03\"></iframe>\n", "xss03"),
    ("<style>body{background:url(https://evil.example/xss04)}</style>\n", "xss04"),
    ("<base href=\"https://evil.example/xss05/\">\n", "xss05"),
    ("[点我](javascript:alert('xss06'))\n", "xss06"),
    ("[点我](data:text/html,xss07)\n", "xss07"),
    ("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/xss08\">\n", "xss08"),
    ("<link rel=\"stylesheet\" href=\"https://evil.example/xss09.css\">\n", "xss09"),
    ("<form action=\"https://evil.example/xss10\"><input name=a></form>\n", "xss10"),
    ("<object data=\"https://evil.example/xss11.swf\"></object><embed src=\"https://evil.example/xss11.swf\">\n", "xss11"),
    ("<p onclick=\"alert('xss12')\" onmouseover=\"alert('xss12')\">段落</p>\n", "xss12"),
    ("<a href=\"jav&#x09;ascript:alert('xss13')\">点我</a> [又一个](<javascript:alert('xss13')>)\n", "xss13"),
    ("<img srcset=\"javascript:alert('xss14') 1x\" src=\"ok.png\">\n", "xss14"),
    ("<svg><script>alert('xss15')</script></svg>\n", "xss15"),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert('xss16')>\n", "xss16"),
    ("<img src=\"x.png\" style=\"background:url(javascript:alert('xss17'))\">\n", "xss17"),
    ("## 小标题 {#t .c onclick=\"alert('xss18')\"}\n", "xss18"),
];

#[test]
fn every_attack_is_removed_from_the_page_and_every_feed() {
    for (body, marker) in ATTACKS {
        let site = site_with_body(&format!("正文开始。\n\n{body}\n正文结束。\n"));
        site.build();
        let all = published(&site);
        assert!(!all.contains(marker), "{body}: `{marker}` was published");
        assert!(
            all.contains("正文开始"),
            "{body}: the story itself was lost"
        );
        assert!(!all.contains("evil.example"), "{body}");
    }
}

#[test]
fn ordinary_article_markup_is_kept() {
    let body = "## 四字诀\n\n|项目|金额|\n|:-|-:|\n|电梯|60万|\n\n<ruby>垃圾<rp>(</rp><rt>lā jī</rt><rp>)</rp></ruby>分类，H<sub>2</sub>O，10<sup>3</sup>。\n\n<details><summary>更多</summary>\n\n细节。\n\n</details>\n\n脚注[^1]。[链接](https://example.org/a) [电话](tel:12345) [邮件](mailto:a@example.org)\n\n<figure><picture><source srcset=\"a.webp 1x\" type=\"image/webp\"><img src=\"a.png\" alt=\"照片\" width=\"8\" height=\"6\" loading=\"lazy\" decoding=\"async\"></picture><figcaption>说明</figcaption></figure>\n\n[^1]: 注释。\n";
    let site = site_with_body(body);
    site.build();
    let page = site.read("public/2024/05/01/x/index.html");
    for kept in [
        "<h2 id=\"si-zi-jue\">",
        "<td style=\"text-align:right\">60万</td>",
        "<ruby>垃圾<rp>(</rp><rt>lā jī</rt><rp>)</rp></ruby>",
        "H<sub>2</sub>O",
        "10<sup>3</sup>",
        "<details><summary>更多</summary>",
        "class=\"footnote-reference\"",
        "class=\"footnote-definition\"",
        "href=\"https://example.org/a\"",
        "href=\"tel:12345\"",
        "href=\"mailto:a@example.org\"",
        "<source srcset=\"a.webp 1x\" type=\"image/webp\">",
        "<img src=\"a.png\" alt=\"照片\" width=\"8\" height=\"6\" loading=\"lazy\" decoding=\"async\">",
        "<figcaption>说明</figcaption>",
    ] {
        assert!(page.contains(kept), "`{kept}` is missing from:\n{page}");
    }
}

#[test]
fn iframes_come_only_from_embed_hosts_and_are_sandboxed() {
    let body = "<iframe src=\"https://player.example.org/v/1\" allowfullscreen></iframe>\n\n<iframe src=\"https://evil.example/v\"></iframe>\n\n<iframe src=\"http://player.example.org/v/2\"></iframe>\n";
    let site = site_with_body(body);
    site.build();
    assert!(!site
        .read("public/2024/05/01/x/index.html")
        .contains("<iframe"));

    site.write(
        "site.yaml",
        &format!(
            "{}markdown: {{embed_hosts: [player.example.org]}}\n",
            crate::fixture::SITE_YAML
        ),
    );
    site.build();
    let page = site.read("public/2024/05/01/x/index.html");
    assert!(
        page.contains("<iframe src=\"https://player.example.org/v/1\" allowfullscreen=\"\" sandbox=\"allow-scripts allow-same-origin allow-presentation\">"),
        "{page}"
    );
    assert!(
        !page.contains("evil.example") && !page.contains("http://player"),
        "{page}"
    );
}

#[test]
fn unsafe_html_publishes_bodies_as_written() {
    let site = site_with_body("<script>window.trusted = 1</script>\n");
    site.write(
        "site.yaml",
        &format!(
            "{}markdown: {{unsafe_html: true}}\n",
            crate::fixture::SITE_YAML
        ),
    );
    site.build();
    assert!(site
        .read("public/2024/05/01/x/index.html")
        .contains("<script>window.trusted = 1</script>"));
    let check = site.run(&["check"]);
    assert!(
        !check.stderr.contains("removed when published"),
        "{}",
        check.stderr
    );
}

#[test]
fn an_unknown_markdown_setting_is_still_an_error() {
    let site = site_with_body("正文。\n");
    site.write(
        "site.yaml",
        &format!("{}markdown: {{unsafe: false}}\n", crate::fixture::SITE_YAML),
    );
    let err = site.build_fails();
    assert!(err.contains("unsafe"), "{err}");
}

#[test]
fn check_warns_at_the_line_of_each_removal() {
    let site = site_with_body(
        "第一段。\n\n<script>alert(1)</script>\n\n<img src=\"a.png\" alt=\"a\"\n  onerror=\"alert(2)\">\n\n[点我](javascript:alert(3))\n",
    );
    let run = site.run(&["check"]);
    let err = run.stderr;
    for expected in [
        "content/2024/05/x.md:9:1: warning: the `<script>` element is removed when published",
        "content/2024/05/x.md:11:1: warning: the `onerror` attribute of `<img>` is removed when published",
        "content/2024/05/x.md:14:1: warning: the link address `javascript:alert(3)` is removed when published",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(
        err.contains("unsafe_html"),
        "the hint names the opt-out:\n{err}"
    );
}

#[test]
fn the_search_index_carries_the_cleaned_body() {
    let site = site_with_body("<script>var leaked = 'zzsecretzz';</script>\n\n可以检索的正文。\n");
    site.write(
        "site.yaml",
        &format!("{}search: true\n", crate::fixture::SITE_YAML),
    );
    site.build();
    let mut fragments = 0;
    for entry in walkdir::WalkDir::new(site.path("public/pagefind/fragment")) {
        let entry = entry.expect("walk the index");
        if !entry.file_type().is_file() {
            continue;
        }
        let gz = std::fs::read(entry.path()).expect("fragment");
        let mut text = String::new();
        // Pagefind writes `pagefind_dcd` before the gzip stream.
        let start = gz.windows(2).position(|w| w == [0x1f, 0x8b]).unwrap_or(0);
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[start..]), &mut text)
            .expect("gunzip a fragment");
        assert!(!text.contains("zzsecretzz"), "{text}");
        fragments += 1;
    }
    assert!(fragments > 0, "no search fragments were written");
}

/// Builds a site of hostile articles, loads every page in Chromium, and checks that no
/// script of theirs ran and no link, image or frame leads off the site.
#[cfg(feature = "browser-tests")]
#[test]
fn hostile_articles_run_no_script_and_link_nowhere_else_in_a_browser() {
    let site = Site::new();
    for (i, (attack, _)) in ATTACKS.iter().enumerate() {
        // Every payload that runs bumps `window.pwned`.
        let body = attack.replace("alert(", "(window.pwned=1)+(");
        site.article(
            &format!("2024/05/attack-{i}.md"),
            &front(&format!("来稿{i}"), "2024-05-01 09:00", "community"),
            &format!("正文。\n\n{body}\n"),
        );
    }
    site.build();
    let server = crate::serve::serve(&site);
    let base = format!("http://{}/", server.addr);
    let mut pages: Vec<String> = walkdir::WalkDir::new(site.path("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let rel = e.path().strip_prefix(site.path("public")).expect("inside");
            rel.parent().map_or(String::new(), |p| {
                let p = p.to_string_lossy().replace('\\', "/");
                if p.is_empty() {
                    p
                } else {
                    format!("{p}/")
                }
            })
        })
        .collect();
    pages.sort();
    assert!(pages.len() > ATTACKS.len(), "{pages:?}");
    let b = browser();
    for page in &pages {
        b.goto(&format!("{base}{page}"));
        b.wait_for(
            &format!("{page} to finish loading"),
            "document.readyState === 'complete' && [...document.images].every(i => i.complete)",
        );
        assert_eq!(
            b.js("return window.pwned || 0;"),
            json!(0),
            "a script ran on {page}"
        );
        let off_site = b.js(
            "return [...document.querySelectorAll('[href],[src],[srcset],[action],[data]')]
                .flatMap(e => ['href','src','action','data'].map(a => e.getAttribute(a)).filter(v => v !== null)
                    .concat((e.getAttribute('srcset') || '').split(',').map(s => s.trim().split(/\\s+/)[0]).filter(Boolean)))
                .map(v => new URL(v, document.baseURI))
                .filter(u => u.origin !== location.origin)
                .map(u => u.href);",
        );
        assert_eq!(off_site, json!([]), "off-site addresses on {page}");
        assert_eq!(
            b.js("return document.baseURI.startsWith(location.origin);"),
            json!(true)
        );
    }
}

#[test]
fn the_preview_serves_the_cleaned_body_too() {
    let site = site_with_body(
        "<script>alert('xss-preview')</script>\n\n<img src=\"a.png\" onerror=\"alert(1)\">\n",
    );
    let server = crate::serve::serve(&site);
    let page = crate::serve::request(server.addr, "GET", "/2024/05/01/x/").text();
    assert!(page.contains("<img src=\"a.png\">"), "{page}");
    assert!(
        !page.contains("xss-preview") && !page.contains("onerror"),
        "{page}"
    );
}
