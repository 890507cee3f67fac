//! A real headless Chromium, driven over WebDriver by chromedriver (Debian's packages).
//!
//! Where the browser is missing the tests fail and name the packages to install: a browser
//! test that cannot run must never count as a pass.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

pub struct Browser {
    pub client: Client,
    driver: Child,
    pub runtime: tokio::runtime::Runtime,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let client = self.client.clone();
        let _ = self.runtime.block_on(client.close());
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9515)
}

/// Starts chromedriver and a headless Chromium; panics with an install hint when absent.
pub fn browser() -> Browser {
    launch(None)
}

/// A browser emulating a phone: `width` CSS pixels wide at device pixel ratio `dpr`, so
/// `srcset` choices are the ones a phone makes.
pub fn phone_browser(width: u32, dpr: f64) -> Browser {
    launch(Some(
        json!({"deviceMetrics": {"width": width, "height": 812, "pixelRatio": dpr}}),
    ))
}

fn launch(mobile_emulation: Option<serde_json::Value>) -> Browser {
    let driver_path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let driver_path = driver_path.expect(
        "chromedriver is not installed: apt-get install chromium chromium-driver fonts-wqy-microhei \
         (or run .ci/install, which installs everything the tests need)",
    );
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "Chromium is not installed: apt-get install chromium chromium-driver fonts-wqy-microhei"
    );
    let port = free_port();
    let driver = Command::new(driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let user_data = tempfile::tempdir().expect("profile dir").keep();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            // As root in a sandboxless container, with no network but loopback.
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-quic", "--window-size=1280,900",
                     format!("--user-data-dir={}", user_data.display())]
        }
    });
    let mut caps = caps;
    if let Some(m) = mobile_emulation {
        caps["goog:chromeOptions"]["mobileEmulation"] = m;
    }
    let caps = match caps {
        serde_json::Value::Object(m) => m,
        _ => unreachable!(),
    };
    let start = Instant::now();
    let client = loop {
        let attempt = runtime.block_on(
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}")),
        );
        match attempt {
            Ok(c) => break c,
            Err(e) if start.elapsed() > Duration::from_secs(20) => {
                panic!("cannot start Chromium: {e}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    Browser {
        client,
        driver,
        runtime,
    }
}

impl Browser {
    pub fn goto(&self, url: &str) {
        self.runtime
            .block_on(self.client.goto(url))
            .expect("navigate");
    }

    pub fn js(&self, script: &str) -> serde_json::Value {
        self.runtime
            .block_on(self.client.execute(script, Vec::new()))
            .expect("script")
    }

    /// Polls a JavaScript expression until it is true.
    pub fn wait_for(&self, what: &str, expression: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if self.js(&format!("return !!({expression});")) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("timed out waiting for {what}: {expression}");
    }

    pub fn screenshot(&self, path: &std::path::Path) {
        let png = self
            .runtime
            .block_on(self.client.screenshot())
            .expect("screenshot");
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        std::fs::write(path, png).expect("write screenshot");
    }
}
