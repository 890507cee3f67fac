//! Save → rebuilt latency through `serve`'s incremental path, on a large site.
//!
//! Builds the preview in memory, then edits the body of one article at a time and times
//! `Preview::apply` — the work between the watcher's debounced event and the reload
//! message. Every edited file is restored afterwards.
//!
//! `cargo run --release --example incremental -- SITE_DIR [EDITS]`

use std::path::PathBuf;
use std::time::Instant;

use gazette::pipeline::incremental::{Change, Preview};
use gazette::pipeline::BuildOptions;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: incremental SITE_DIR [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(30);
    let opts = BuildOptions {
        drafts: true,
        future: true,
        asset_hashes: false,
        ..BuildOptions::new(&root)
    };
    let start = Instant::now();
    let mut preview = match Preview::new(opts) {
        Ok(p) => p,
        Err(d) => {
            gazette::diag::report(&root, &d, gazette::msg!("summary.nothing_written"));
            std::process::exit(1);
        }
    };
    println!(
        "initial build in memory: {:.2} s, {} articles",
        start.elapsed().as_secs_f64(),
        preview.site().articles.len()
    );

    let sources: Vec<PathBuf> = preview
        .site()
        .articles
        .iter()
        .map(|a| a.source.clone())
        .collect();
    let mut times = Vec::new();
    let mut rendered = Vec::new();
    for n in 0..edits {
        // Spread the edits over the archive, deterministically.
        let source = &sources[(n * 7919) % sources.len()];
        let path = root.join(source);
        let original = std::fs::read_to_string(&path).expect("read article");
        std::fs::write(&path, format!("{original}\n补充报道第{n}段。\n")).expect("write article");
        let t = Instant::now();
        let update = preview.apply(&Change::Content(vec![source.clone()]));
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::fs::write(&path, original).expect("restore article");
        match update {
            Ok(u) => rendered.push(u.rendered),
            Err(d) => {
                gazette::diag::report(&root, &d, gazette::msg!("summary.nothing_written"));
                std::process::exit(1);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    rendered.sort_unstable();
    println!(
        "one-article body edit, {edits} edits: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; pages re-rendered: median {}",
        pct(0.5),
        pct(0.95),
        pct(1.0),
        rendered[rendered.len() / 2]
    );
}
