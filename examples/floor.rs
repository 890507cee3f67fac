//! The speed floor for the build benchmark: read every article file under `DIR/content`
//! and run pulldown-cmark over every body — no front-matter parsing, no templates, no
//! writes, one thread. Gazette's full build is compared against this number.
//!
//! `cargo run --release --example floor -- DIR`

use std::time::Instant;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: floor SITE_DIR");
        std::process::exit(2);
    };
    let start = Instant::now();
    let mut files = 0usize;
    let mut html_bytes = 0usize;
    let mut html = String::new();
    for entry in walkdir::WalkDir::new(std::path::Path::new(&dir).join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        // The body is what follows the second `---` line.
        let body = text.splitn(3, "\n---\n").nth(2).unwrap_or(&text);
        html.clear();
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(body, gazette::markdown::options()),
        );
        html_bytes += html.len();
        files += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "floor: {files} files, {:.1} MB of HTML, {secs:.3} s",
        html_bytes as f64 / 1e6
    );
}
