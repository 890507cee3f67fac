//! The preview in a real browser: edits show up by themselves, errors overlay the page and
//! clear, and a stylesheet edit is swapped in without a reload.

use crate::browser::browser;
use crate::fixture::front;
use crate::serve::{sample_site, serve};

#[test]
fn the_browser_follows_saves_errors_and_css() {
    let b = browser();
    let site = sample_site();
    site.write(
        "static/style.css",
        "body { background: rgb(250, 250, 250); }\n",
    );
    let server = serve(&site);
    let base = format!("http://{}", server.addr);
    b.goto(&format!("{base}/2022/08/02/a/"));
    b.wait_for("the page", "document.body.innerText.includes('正文第一版')");
    // The server's hello on the event stream: from here on no rebuild can be missed.
    let connected = "window.__gazetteBuild !== undefined";
    b.wait_for("the live connection", connected);

    // 1. An edit appears without anyone reloading.
    site.article(
        "2022/08/a.md",
        &format!(
            "{}\ntags: [加装电梯]",
            front("电梯稿件", "2022-08-02", "community")
        ),
        "正文改好了。\n",
    );
    b.wait_for(
        "the edit",
        "document.body && document.body.innerText.includes('正文改好了')",
    );

    // 2. A broken save shows an overlay naming the file and line; fixing it clears it.
    b.wait_for("the live connection after the reload", connected);
    site.article(
        "2022/08/a.md",
        "title: 电梯稿件\nreporter: 杨宜锦\ndate: 2022-08-02\nsection: comunity",
        "正文改好了。\n",
    );
    b.wait_for("the overlay", "document.getElementById('gazette-error') && document.getElementById('gazette-error').innerText.includes('content/2022/08/a.md:5:10')");
    assert!(
        b.js("return document.body.innerText")
            .as_str()
            .unwrap_or("")
            .contains("正文改好了"),
        "the last good page stays"
    );
    site.article(
        "2022/08/a.md",
        &front("电梯稿件", "2022-08-02", "community"),
        "修好了。\n",
    );
    b.wait_for(
        "the overlay to clear",
        "!document.getElementById('gazette-error') && document.body.innerText.includes('修好了')",
    );

    // 3. A stylesheet edit changes the style without a navigation.
    b.wait_for("the live connection after the reload", connected);
    b.js("window.__gazetteNoReload = true; return 1;");
    site.write("static/style.css", "body { background: rgb(1, 2, 3); }\n");
    b.wait_for(
        "the new style",
        "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
    );
    assert_eq!(
        b.js("return window.__gazetteNoReload === true;"),
        serde_json::json!(true),
        "the page was reloaded"
    );
}
