//! The Markdown path on arbitrary bodies: the CJK line-break filter, heading ids, figures,
//! the dateline, link rewriting (with one known article and one missing) and summaries.
#![no_main]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gazette::markdown::{render, BodyInput, ImageInfo, LinkTargets};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let mut pages = HashMap::new();
    pages.insert(PathBuf::from("content/2022/b.md"), "2022/08/02/b/".to_string());
    let mut images = HashMap::new();
    images.insert("a.jpg".to_string(), ImageInfo { width: 8, height: 6 });
    for (dateline, cjk) in [("本报讯", true), ("", false)] {
        let input = BodyInput {
            source: Path::new("content/2022/a.md"),
            body,
            body_offset: 4,
            page_path: "2022/08/02/a/",
            dateline,
            summary: None,
            east_asian_line_breaks: cjk,
        };
        let (rendered, _) = render(&input, &LinkTargets { pages: &pages, images: &images, page_paths: &Default::default(), base_path: "/" });
        assert!(rendered.summary.len() <= 4200, "summary of {} bytes", rendered.summary.len());
        let _ = gazette::text::truncate_chars(body, 40);
        let _ = gazette::outputs::absolutize_html(&rendered.html, "https://x.org/2022/08/02/a/");
    }
});
