//! The bad-input corpus: every class of broken input an editor or a server can produce,
//! each with its exact outcome — exit code, the message naming the file (and line), and no
//! panic (the fixture's `run` fails the test on any panic message).

use std::time::{Duration, Instant};

use crate::fixture::{front, Site, SITE_YAML};

/// One case: files to write (path, bytes), the exit code, and lines expected on stderr.
struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    code: i32,
    expect: &'static [&'static str],
}

fn text(s: impl Into<String>) -> Vec<u8> {
    s.into().into_bytes()
}

fn article(front_lines: &str, body: &str) -> Vec<u8> {
    text(format!("---\n{front_lines}\n---\n{body}"))
}

fn ok_front() -> String {
    front("标题", "2022-08-02", "community")
}

fn cases() -> Vec<Case> {
    let f = ok_front();
    let gbk: Vec<u8> = [
        b"---\ntitle: ".as_slice(),
        &[0xD0, 0xC2, 0xD6, 0xA3],
        b"\nreporter: x\ndate: 2022-08-02\nsection: community\n---\n",
    ]
    .concat();
    let latin1: Vec<u8> = [
        b"---\ntitle: caf".as_slice(),
        &[0xE9],
        b"\nreporter: x\ndate: 2022-08-02\nsection: community\n---\n",
    ]
    .concat();
    let site_with = |extra: &str| text(format!("{SITE_YAML}{extra}"));
    vec![
        // Front matter shape
        Case { name: "no front matter", files: vec![("content/a.md", text("# 标题\n正文\n"))], code: 1, expect: &["content/a.md:1:1: error: the file does not start with front matter"] },
        Case { name: "unterminated front matter", files: vec![("content/a.md", text(format!("---\n{f}\n正文\n")))], code: 1, expect: &["content/a.md:1:1: error: the front matter is never closed"] },
        Case { name: "front matter is a list", files: vec![("content/a.md", article("- a\n- b", ""))], code: 1, expect: &["content/a.md:2:1: error: the front matter is not `key: value` lines"] },
        Case { name: "front matter is a sentence", files: vec![("content/a.md", article("只是一句话", ""))], code: 1, expect: &["content/a.md:2:1: error: the front matter is not `key: value` lines"] },
        Case { name: "invalid YAML: open bracket", files: vec![("content/a.md", article("title: [未闭合\nreporter: x", ""))], code: 1, expect: &["content/a.md:2:"] },
        Case { name: "invalid YAML: tab indent", files: vec![("content/a.md", article("title: x\n\treporter: y", ""))], code: 1, expect: &["content/a.md:3:", "indent with spaces"] },
        Case { name: "invalid YAML: colon in value", files: vec![("content/a.md", article("title: 会议: 第二季度: 召开\nreporter: x", ""))], code: 1, expect: &["content/a.md:2:", "quote a value"] },
        Case { name: "duplicate key", files: vec![("content/a.md", article(&format!("{f}\ntitle: 又一个"), ""))], code: 1, expect: &["content/a.md:6:1: error: `title` is written twice", "write each key once"] },
        // Wrong types
        Case { name: "draft not a boolean", files: vec![("content/a.md", article(&format!("{f}\ndraft: 是"), ""))], code: 1, expect: &["content/a.md:6:8: error: wrong kind of value for `draft`", "write `true` or `false`"] },
        Case { name: "tags is a map", files: vec![("content/a.md", article(&format!("{f}\ntags: {{a: 1}}"), ""))], code: 1, expect: &["content/a.md:6:7: error: wrong kind of value"] },
        Case { name: "title is a list", files: vec![("content/a.md", article("title: [a, b]\nreporter: x\ndate: 2022-08-02\nsection: community", ""))], code: 1, expect: &["content/a.md:2:8: error: wrong kind of value for `title`"] },
        Case { name: "corrections not a list", files: vec![("content/a.md", article(&format!("{f}\ncorrections: 改了"), ""))], code: 1, expect: &["content/a.md:6:14: error: wrong kind of value"] },
        Case { name: "extra is a number", files: vec![("content/a.md", article(&format!("{f}\nextra: 5"), ""))], code: 1, expect: &["content/a.md:6:8: error: `extra` must be a map"] },
        // Missing required fields
        Case { name: "missing title", files: vec![("content/a.md", article("reporter: x\ndate: 2022-08-02\nsection: community", ""))], code: 1, expect: &["content/a.md:1:1: error: `title` is missing"] },
        Case { name: "missing date", files: vec![("content/a.md", article("title: x\nreporter: x\nsection: community", ""))], code: 1, expect: &["content/a.md:1:1: error: `date` is missing"] },
        Case { name: "missing section", files: vec![("content/a.md", article("title: x\nreporter: x\ndate: 2022-08-02", ""))], code: 1, expect: &["content/a.md:1:1: error: `section` is missing"] },
        Case { name: "missing reporter", files: vec![("content/a.md", article("title: x\ndate: 2022-08-02\nsection: community", ""))], code: 1, expect: &["content/a.md:1:1: error: `reporter` is missing"] },
        Case { name: "empty front matter", files: vec![("content/a.md", article("", "正文"))], code: 1, expect: &["`title` is missing", "`date` is missing"] },
        // Dates
        Case { name: "impossible date", files: vec![("content/a.md", article("title: x\nreporter: x\ndate: 2022-02-30\nsection: community", ""))], code: 1, expect: &["content/a.md:4:7: error: `2022-02-30` is not a date: that day does not exist in that month"] },
        Case { name: "month 13", files: vec![("content/a.md", article("title: x\nreporter: x\ndate: 2022-13-01\nsection: community", ""))], code: 1, expect: &["content/a.md:4:7: error: `2022-13-01` is not a date"] },
        Case { name: "not a date", files: vec![("content/a.md", article("title: x\nreporter: x\ndate: 昨天\nsection: community", ""))], code: 1, expect: &["content/a.md:4:7: error: `昨天` is not a date"] },
        Case { name: "slashed date", files: vec![("content/a.md", article("title: x\nreporter: x\ndate: 2022/08/02\nsection: community", ""))], code: 1, expect: &["content/a.md:4:7: error: `2022/08/02` is not a date"] },
        Case { name: "bad updated", files: vec![("content/a.md", article(&format!("{f}\nupdated: soon"), ""))], code: 1, expect: &["content/a.md:6:10: error: `soon` is not a date"] },
        Case { name: "bad correction date", files: vec![("content/a.md", article(&format!("{f}\ncorrections: [{{date: 8月3日, text: 改}}]"), ""))], code: 1, expect: &["content/a.md:6:14: error: `8月3日` is written with Chinese date marks"] },
        // Unknown keys and sections
        Case { name: "unknown key", files: vec![("content/a.md", article(&format!("{f}\nsubtitel: x"), ""))], code: 1, expect: &["content/a.md:6:1: error: unknown key `subtitel`", "did you mean `subtitle`?"] },
        Case { name: "unknown section", files: vec![("content/a.md", article("title: x\nreporter: x\ndate: 2022-08-02\nsection: 社区治理", ""))], code: 1, expect: &["content/a.md:5:10: error: unknown section `社区治理`", "did you mean `community`?"] },
        // People
        Case { name: "empty reporter list", files: vec![("content/a.md", article("title: x\nreporter: []\ndate: 2022-08-02\nsection: community", ""))], code: 1, expect: &["content/a.md:3:11: error: `reporter` names nobody"] },
        Case { name: "blank reporter", files: vec![("content/a.md", article("title: x\nreporter: \"  \"\ndate: 2022-08-02\nsection: community", ""))], code: 1, expect: &["content/a.md:3:11: error: `reporter` names nobody"] },
        Case { name: "both reporter keys", files: vec![("content/a.md", article(&format!("{f}\nreporters: [y]"), ""))], code: 1, expect: &["content/a.md:", "both `reporter` and `reporters` are given"] },
        // Encodings and empty files
        Case { name: "GBK file", files: vec![("content/a.md", gbk)], code: 1, expect: &["content/a.md:2:8: error: the file is not UTF-8 text; it looks like GBK/GB18030"] },
        Case { name: "Latin-1 file", files: vec![("content/a.md", latin1)], code: 1, expect: &["content/a.md:2:11: error: the file is not UTF-8 text; it may be Latin-1"] },
        Case { name: "empty file", files: vec![("content/a.md", Vec::new())], code: 1, expect: &["content/a.md:1:1: error: the file is empty"] },
        Case { name: "whitespace-only file", files: vec![("content/a.md", text("\n  \n\t\n"))], code: 1, expect: &["content/a.md:1:1: error: the file is empty"] },
        Case { name: "BOM and CRLF are fine", files: vec![("content/a.md", text(format!("\u{feff}---\r\n{}\r\n---\r\n正文\r\n", f.replace('\n', "\r\n"))))], code: 0, expect: &["Built 1 article,"] },
        // Slugs and URLs
        Case { name: "duplicate URLs", files: vec![("content/a.md", article(&format!("{f}\nslug: same"), "")), ("content/b.md", article(&format!("{f}\nslug: same"), ""))], code: 1, expect: &["content/b.md:6:7: error: this article has the same URL /2022/08/02/same/ as content/a.md"] },
        Case { name: "same file name in two folders", files: vec![("content/x/a.md", article(&f, "")), ("content/y/a.md", article(&f, ""))], code: 1, expect: &["content/y/a.md:", "same URL /2022/08/02/a/ as content/x/a.md"] },
        Case { name: "slug with ..", files: vec![("content/a.md", article(&format!("{f}\nslug: ../../etc"), ""))], code: 1, expect: &["content/a.md:6:7: error: the slug `../../etc` cannot be used in a URL"] },
        Case { name: "slug with /", files: vec![("content/a.md", article(&format!("{f}\nslug: a/b"), ""))], code: 1, expect: &["content/a.md:6:7: error: the slug `a/b` cannot be used in a URL"] },
        Case { name: "absolute slug", files: vec![("content/a.md", article(&format!("{f}\nslug: /etc/passwd"), ""))], code: 1, expect: &["content/a.md:6:7: error: the slug `/etc/passwd` cannot be used in a URL"] },
        Case { name: "Chinese slug", files: vec![("content/a.md", article(&format!("{f}\nslug: 电梯"), ""))], code: 1, expect: &["content/a.md:6:7: error: the slug `电梯` cannot be used in a URL", "e.g. `dian-ti`"] },
        Case { name: "cover image escaping the folder", files: vec![("content/a/index.md", article(&format!("{f}\nimage: ../../secret.jpg"), ""))], code: 1, expect: &["content/a/index.md:6:8: error: the image `../../secret.jpg` must not leave the article's folder"] },
        Case { name: "cover image missing", files: vec![("content/a/index.md", article(&format!("{f}\nimage: gone.jpg"), ""))], code: 1, expect: &["content/a/index.md:6:8: error: the cover photo `gone.jpg` is not in the article's folder"] },
        Case { name: "broken article link", files: vec![("content/a.md", article(&f, "见[旧闻](../nope.md)。\n"))], code: 1, expect: &["content/a.md:7:2: error: the link `../nope.md` points to an article that does not exist"] },
        // site.yaml, field by field
        Case { name: "site.yaml missing", files: vec![("site.yaml", Vec::new()), ("content/a.md", article(&f, ""))], code: 1, expect: &["site.yaml"] },
        Case { name: "site.yaml without title", files: vec![("site.yaml", text("base_url: https://x.org/\nsections: [{key: community, name: 社区}]\n"))], code: 1, expect: &["site.yaml:1:1: error: `title` is missing"] },
        Case { name: "site.yaml bad base_url", files: vec![("site.yaml", text("title: x\nbase_url: x.org\nsections: [{key: community, name: 社区}]\n"))], code: 1, expect: &["site.yaml:2:11: error: base_url `x.org` is not an absolute web address"] },
        Case { name: "site.yaml bad timezone", files: vec![("site.yaml", text(SITE_YAML.replace("Asia/Shanghai", "Beijing")))], code: 1, expect: &["site.yaml:", "unknown time zone `Beijing`", "Asia/Shanghai"] },
        Case { name: "site.yaml paginate 0", files: vec![("site.yaml", text(SITE_YAML.replace("paginate: 2", "paginate: 0")))], code: 1, expect: &["site.yaml:4:11: error: paginate must be at least 1"] },
        Case { name: "site.yaml paginate not a number", files: vec![("site.yaml", text(SITE_YAML.replace("paginate: 2", "paginate: many")))], code: 1, expect: &["site.yaml:4:11: error: wrong kind of value"] },
        Case { name: "site.yaml permalink without slug", files: vec![("site.yaml", site_with("permalink: /{year}/\n"))], code: 1, expect: &["site.yaml:", "has no `{slug}`"] },
        Case { name: "site.yaml no sections", files: vec![("site.yaml", text("title: x\nbase_url: https://x.org/\nsections: []\n"))], code: 1, expect: &["site.yaml:3:11: error: no sections are declared"] },
        Case { name: "site.yaml duplicate section", files: vec![("site.yaml", text("title: x\nbase_url: https://x.org/\nsections: [{key: a, name: A}, {key: a, name: B}]\n"))], code: 1, expect: &["site.yaml:3:11: error: section `a` is declared twice"] },
        Case { name: "site.yaml section key with space", files: vec![("site.yaml", text("title: x\nbase_url: https://x.org/\nsections: [{key: 社区 治理, name: A}]\n"))], code: 1, expect: &["cannot be used in a URL"] },
        Case { name: "site.yaml unknown key", files: vec![("site.yaml", site_with("langauge: zh-CN\n"))], code: 1, expect: &["site.yaml:", "unknown key `langauge`", "did you mean `language`?"] },
        Case { name: "site.yaml not UTF-8", files: vec![("site.yaml", [b"title: ".as_slice(), &[0xD0, 0xC2], b"\n"].concat())], code: 1, expect: &["site.yaml: error: site.yaml is not UTF-8 text"] },
        Case { name: "site.yaml bad person slug", files: vec![("site.yaml", text(SITE_YAML.replace("slug: yang-yijin", "slug: Yang Yijin")))], code: 1, expect: &["site.yaml:", "the slug `Yang Yijin` of 杨宜锦 cannot be used in a URL"] },
        // Templates and themes
        Case { name: "template syntax error", files: vec![("content/a.md", article(&f, "")), ("templates/tag.html", text("{% for %}\n"))], code: 1, expect: &["templates/tag.html:1:", "template syntax error"] },
        Case { name: "template runtime error", files: vec![("content/a.md", article(&f, "")), ("templates/404.html", text("<p>\n{{ missing.value }}</p>\n"))], code: 1, expect: &["templates/404.html:2:", "template error"] },
        Case { name: "template extends a missing parent", files: vec![("content/a.md", article(&f, "")), ("templates/404.html", text("{% extends \"nothing.html\" %}\n"))], code: 1, expect: &["404.html", "nothing.html"] },
        Case { name: "theme that does not exist", files: vec![("site.yaml", site_with("theme: newspaper\n")), ("content/a.md", article(&f, ""))], code: 1, expect: &["site.yaml:", "theme `newspaper` does not exist"] },
        Case { name: "theme missing a template", files: vec![("site.yaml", site_with("theme: mine\n")), ("themes/mine/templates/base.html", text("x")), ("content/a.md", article(&f, ""))], code: 1, expect: &["templates/index.html: error: the theme has no such template"] },
        // HTML in every text field: built, and escaped everywhere
        Case {
            name: "HTML and script in every field",
            files: vec![("content/a.md", article(
                "title: \"<script>alert(1)</script>\"\nkicker: \"<b>k</b>\"\nsubtitle: \"<i>s</i>\"\nreporter: \"<img src=x onerror=alert(1)>\"\ncorrespondent: \"<svg onload=alert(1)>\"\ncredit: \"<u>c</u>\"\ndate: 2022-08-02\nsection: community\ntags: [\"<script>t</script>\"]\ndateline: \"<em>d</em>\"\nsummary: \"<script>s</script>\"\nimage_caption: \"<script>c</script>\"",
                "<script>alert('body')</script>\n",
            ))],
            code: 0,
            expect: &["Built 1 article,"],
        },
    ]
}

#[test]
fn every_bad_input_gives_its_exact_outcome() {
    let all = cases();
    assert!(all.len() >= 40, "the corpus has {} cases", all.len());
    let mut failures = Vec::new();
    for case in &all {
        let site = Site::new();
        for (path, bytes) in &case.files {
            if *path == "site.yaml" && bytes.is_empty() {
                std::fs::remove_file(site.path("site.yaml")).expect("rm site.yaml");
            } else {
                site.write_bytes(path, bytes);
            }
        }
        if !case.files.iter().any(|(p, _)| p.starts_with("content/")) {
            site.write_bytes("content/ok.md", &article(&ok_front(), ""));
        }
        let run = site.run(&["build"]);
        let missing: Vec<&&str> = case
            .expect
            .iter()
            .filter(|e| !run.stderr.contains(**e))
            .collect();
        if run.code != case.code || !missing.is_empty() {
            failures.push(format!(
                "{}: exit {} (want {}), missing {:?}\n{}",
                case.name, run.code, case.code, missing, run.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn html_in_text_fields_is_escaped_on_every_page() {
    let site = Site::new();
    let case = cases()
        .into_iter()
        .find(|c| c.name == "HTML and script in every field")
        .expect("case");
    for (path, bytes) in &case.files {
        site.write_bytes(path, bytes);
    }
    site.build();
    for entry in walkdir::WalkDir::new(site.path("public"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.path().to_string_lossy().to_string();
        if !(name.ends_with(".html") || name.ends_with(".xml")) || name.contains("pagefind") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read");
        for raw in [
            "<script>alert(1)",
            "<img src=x onerror",
            "<svg onload",
            "<script>t</script>",
            "<script>s</script>",
            "<script>c</script>",
        ] {
            assert!(!text.contains(raw), "{name} contains raw `{raw}`");
        }
    }
}

#[test]
fn an_enormous_file_is_refused_with_the_limit() {
    let site = Site::new();
    let mut big = article(&ok_front(), "");
    big.extend(std::iter::repeat_n(b'x', 11 * 1024 * 1024));
    site.write_bytes("content/big.md", &big);
    let err = site.build_fails();
    assert!(
        err.contains("content/big.md: error: the file is 11 MiB; the limit is 10 MiB"),
        "{err}"
    );
}

#[test]
fn deep_nesting_and_long_lines_build_without_trouble() {
    let site = Site::new();
    site.article(
        "deep.md",
        &ok_front(),
        &format!("{}深\n", ">".repeat(5_000)),
    );
    site.article(
        "list.md",
        &front("列表", "2022-08-02", "community"),
        &"- ".repeat(2_000),
    );
    site.article(
        "long.md",
        &front("长行", "2022-08-02", "community"),
        &"很长的一行".repeat(400_000),
    );
    // YAML nested deeper than the parser allows is an error, not a crash.
    site.article(
        "yaml.md",
        &format!(
            "{}\nextra: {}{}",
            front("深", "2022-08-02", "community"),
            "[".repeat(5_000),
            "]".repeat(5_000)
        ),
        "",
    );
    let started = Instant::now();
    let run = site.run(&["build"]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/yaml.md:"), "{}", run.stderr);
    std::fs::remove_file(site.path("content/yaml.md")).expect("rm");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn symlink_loops_and_links_outside_content_are_named() {
    let site = Site::new();
    site.article("a.md", &ok_front(), "x\n");
    std::os::unix::fs::symlink(site.path("content"), site.path("content/loop")).expect("symlink");
    site.write(
        "outside.md",
        &String::from_utf8(article(&front("外面", "2022-08-02", "community"), "")).expect("utf8"),
    );
    std::os::unix::fs::symlink(site.path("outside.md"), site.path("content/link.md"))
        .expect("symlink");
    let err = site.build_fails();
    assert!(
        err.contains("content/loop: error: this link loops back to a folder that contains it"),
        "{err}"
    );
    assert!(
        err.contains("content/link.md: error: this link points outside the content folder"),
        "{err}"
    );
}

#[test]
fn a_fifo_named_like_an_article_does_not_hang_the_build() {
    let site = Site::new();
    site.article("a.md", &ok_front(), "x\n");
    let fifo = site.path("content/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(made, "mkfifo (coreutils) must be installed to make a FIFO");
    let started = Instant::now();
    site.build();
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn an_unwritable_output_ends_in_a_clear_error_and_the_old_site_stays() {
    let site = Site::new();
    site.article("a.md", &ok_front(), "x\n");
    site.write("blocker", "a file where a folder should be");
    let run = site.run(&["build", "--output", "blocker/public"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("blocker"), "{}", run.stderr);
    assert_eq!(site.read("blocker"), "a file where a folder should be");
}

#[test]
fn a_full_disk_mid_write_keeps_the_old_site_byte_for_byte() {
    let site = Site::new();
    site.write("site.yaml", &format!("{SITE_YAML}search: false\n"));
    site.article("a.md", &ok_front(), "x\n");
    let disk = site.path("small-disk");
    std::fs::create_dir_all(&disk).expect("mkdir");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=300k", "tmpfs"])
        .arg(&disk)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        mounted,
        "this test mounts a 300 KB tmpfs to fill a disk: run it as root (CI does), \
         or leave it out with `cargo test -- --skip full_disk`"
    );
    let out = disk.join("public");
    let out_arg = out.to_string_lossy().to_string();
    let first = site.run(&["build", "--output", &out_arg]);
    let before = if first.code == 0 {
        crate::fixture::snapshot(&out)
    } else {
        Vec::new()
    };
    assert_eq!(first.code, 0, "{}", first.stderr);
    // Far more than the disk holds.
    for i in 0..40 {
        site.article(
            &format!("big{i}.md"),
            &front(&format!("大稿{i}"), "2022-08-02", "community"),
            &"满".repeat(20_000),
        );
    }
    let second = site.run(&["build", "--output", &out_arg]);
    let after = crate::fixture::snapshot(&out);
    let _ = std::process::Command::new("umount").arg(&disk).status();
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(
        second.stderr.contains("No space left on device"),
        "{}",
        second.stderr
    );
    assert!(
        second
            .stderr
            .contains("the previous site was left as it was"),
        "{}",
        second.stderr
    );
    assert_eq!(before, after, "the old site changed");
}
