//! How long one huge article takes: a 4 MB body with 100,000 links (a third of them
//! relative, so the feeds rewrite them) and 10,000 footnotes, built in memory with search
//! off. Link positions and feed URL rewriting must stay linear in the body's size; the
//! target is under 2 s in a release build.
//!
//! `cargo run --release --example many_links [-- --unsafe-html]`

use std::fmt::Write;
use std::time::Instant;

const LINKS: usize = 100_000;
const FOOTNOTES: usize = 10_000;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    std::fs::write(
        root.join("site.yaml"),
        format!("title: 链接测试\nbase_url: https://news.example.org/\nsearch: false\n{}sections:\n  - {{key: community, name: 社区治理}}\n",
        // `--unsafe-html` measures the same build without the body sanitizer.
        if std::env::args().any(|a| a == "--unsafe-html") { "markdown: {unsafe_html: true}\n" } else { "" }),
    )
    .expect("site.yaml");
    let body = body();
    let article = format!(
        "---\ntitle: 一篇很长的报道\nreporter: 杨宜锦\ndate: 2024-05-01 09:00\nsection: community\n---\n{body}"
    );
    std::fs::create_dir_all(root.join("content")).expect("content folder");
    std::fs::write(root.join("content/long.md"), &article).expect("article");

    let opts = gazette::pipeline::BuildOptions::new(root);
    let started = Instant::now();
    let result = gazette::pipeline::build_in_memory(&opts);
    let secs = started.elapsed().as_secs_f64();
    match result {
        Ok((built, outputs)) => {
            println!(
                "many_links: {:.1} MB article, {LINKS} links, {FOOTNOTES} footnotes → {} files in {secs:.2} s",
                article.len() as f64 / 1e6,
                outputs.len()
            );
            for (stage, took) in &built.timings.0 {
                println!("  {stage}: {:.2} s", took.as_secs_f64());
            }
        }
        Err(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            std::process::exit(1);
        }
    }
}

/// Paragraphs of ten links each, every tenth paragraph with a footnote, padded to ~4 MB.
fn body() -> String {
    let mut body = String::with_capacity(4_200_000);
    for i in 0..LINKS {
        match i % 3 {
            0 => write!(body, "见[第{i}号](../photos/{i}.jpg)，"),
            1 => write!(body, "另见[外站{i}](https://example.org/a/{i})，"),
            _ => write!(body, "[本站{i}](/sections/community/?p={i})。"),
        }
        .expect("write to a String");
        if i % 10 == 9 {
            let note = i / 10;
            if note < FOOTNOTES {
                write!(body, "[^n{note}]").expect("write to a String");
            }
            body.push_str("\n\n");
        }
    }
    for note in 0..FOOTNOTES {
        writeln!(body, "[^n{note}]: 注释{note}，据居委会介绍。\n").expect("write to a String");
    }
    body
}
