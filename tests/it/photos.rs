//! Photos: camera JPEGs carrying GPS, a serial number, maker notes, XMP and IPTC go in;
//! upright, metadata-free derivatives listed in `srcset` come out, and bad files are
//! refused at the article line that uses them.

use std::io::Cursor;

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};

use crate::fixture::{front, Site};

/// A camera-like JPEG, `w`×`h` stored pixels: the top half red, the bottom half blue, so
/// the orientation can be checked, with the metadata a phone writes.
pub fn camera_jpeg(w: u16, h: u16, orientation: u16) -> Vec<u8> {
    with_camera_metadata(&two_halves(w, h), w, h, orientation, 90)
}

/// A photo-like scene that compresses like a real one: sky and ground gradients, a few
/// buildings and sensor noise, at quality 92 as phones save them (about 5 MB at 4000×3000).
pub fn camera_photo(w: u16, h: u16) -> Vec<u8> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 49) as i32 - 24
    };
    let (wi, hi) = (i32::from(w), i32::from(h));
    let buildings: Vec<(i32, i32, i32, [i32; 3])> = (0..12)
        .map(|i| {
            let x = (i * 331 % 97) * wi / 97;
            (
                x,
                x + wi / 12,
                hi * (30 + i * 7 % 40) / 100,
                [60 + i * 13 % 150, 70 + i * 29 % 140, 80 + i * 37 % 130],
            )
        })
        .collect();
    let mut pixels = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..hi {
        for x in 0..wi {
            let mut px = if y > hi * 62 / 100 {
                [96, 128, 72]
            } else {
                [90 + 85 * y / hi, 140 + 60 * y / hi, 230 - 85 * y / hi]
            };
            if let Some(b) = buildings
                .iter()
                .find(|b| x >= b.0 && x < b.1 && y > b.2 && y < hi * 8 / 10)
            {
                px = b.3;
            }
            for c in px {
                pixels.push((c + noise()).clamp(0, 255) as u8);
            }
        }
    }
    with_camera_metadata(&pixels, w, h, 1, 92)
}

fn two_halves(w: u16, h: u16) -> Vec<u8> {
    let mut pixels = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..h {
        for x in 0..w {
            // A little texture so the encoders work as on a photo.
            let n = ((u32::from(x) * 7 + u32::from(y) * 13) % 17) as u8;
            let px = if y < h / 2 {
                [220, 30 + n, 30]
            } else {
                [30, 30 + n, 220]
            };
            pixels.extend_from_slice(&px);
        }
    }
    pixels
}

fn with_camera_metadata(pixels: &[u8], w: u16, h: u16, orientation: u16, quality: u8) -> Vec<u8> {
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
        Field {
            tag: Tag::Artist,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"Zhang Xiaolan".to_vec()]),
        },
        Field {
            tag: Tag::BodySerialNumber,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"SERIAL-55500001".to_vec()]),
        },
        Field {
            tag: Tag::MakerNote,
            ifd_num: In::PRIMARY,
            value: Value::Undefined(b"MAKERNOTE-SECRET".to_vec(), 0),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![
                Rational { num: 34, denom: 1 },
                Rational { num: 23, denom: 1 },
                Rational { num: 5, denom: 1 },
            ]),
        },
    ];
    let mut writer = Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).expect("exif");
    let mut bytes = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut bytes, quality);
    enc.add_exif_metadata(tiff.get_ref()).expect("exif segment");
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(b"<x:xmpmeta><exif:GPSLatitude>34,23.1N</exif:GPSLatitude></x:xmpmeta>");
    enc.add_app_segment(1, xmp).expect("xmp");
    let mut iptc = b"Photoshop 3.0\0".to_vec();
    iptc.extend_from_slice(b"8BIM\x04\x04\0\0\0\0\0\x10\x1c\x02\x50\0\x0bIPTC-AUTHOR");
    enc.add_app_segment(13, iptc).expect("iptc");
    enc.encode(pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    bytes
}

const ARTICLE: &str = "content/2022/08/bridge/index.md";
const PAGE: &str = "public/2022/08/02/bridge/";

fn photo_site(photo: &[u8], body: &str) -> Site {
    let site = Site::new();
    site.article(
        "2022/08/bridge/index.md",
        &format!(
            "{}\nimage: bridge.jpg\nimage_caption: 新桥通车",
            front("新桥通车", "2022-08-02", "community")
        ),
        body,
    );
    site.write_bytes("content/2022/08/bridge/bridge.jpg", photo);
    site
}

/// Every `srcset` candidate and `src` of the page, with the width it states (0 for `src`).
fn image_urls(html: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for part in html.split("srcset=\"").skip(1) {
        let set = &part[..part.find('"').expect("end")];
        for candidate in set.split(", ") {
            let (url, w) = candidate.rsplit_once(' ').expect("descriptor");
            out.push((
                url.to_string(),
                w.trim_end_matches('w').parse().expect("width"),
            ));
        }
    }
    out
}

fn no_metadata(name: &str, bytes: &[u8]) {
    for secret in [
        &b"Exif\0"[..],
        b"GPS",
        b"SERIAL",
        b"MAKERNOTE",
        b"Zhang",
        b"ns.adobe.com",
        b"Photoshop",
        b"8BIM",
        b"IPTC",
    ] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret),
            "{name} holds {:?}",
            String::from_utf8_lossy(secret)
        );
    }
    // Read back with an EXIF reader, as a snooping reader of the site would.
    let read = exif::Reader::new().read_from_container(&mut Cursor::new(bytes));
    assert!(
        read.is_err(),
        "{name} still has EXIF: {:?}",
        read.map(|e| e.fields().count())
    );
}

#[test]
fn published_photos_are_upright_resized_and_carry_no_metadata() {
    // Stored landscape 1600×1200, orientation 6: shown as a 1200×1600 portrait.
    let site = photo_site(
        &camera_jpeg(1600, 1200, 6),
        "正文。\n\n![桥](bridge.jpg \"桥面\")\n",
    );
    site.build();
    let page = site.read(&format!("{PAGE}index.html"));
    let mut published = site.entries(PAGE);
    published.retain(|n| n != "index.html");
    assert!(
        !published.iter().any(|n| n == "bridge.jpg"),
        "original published: {published:?}"
    );
    assert!(published.len() >= 3, "{published:?}");
    for name in &published {
        let bytes = std::fs::read(site.path(&format!("{PAGE}{name}"))).expect("read");
        no_metadata(name, &bytes);
    }

    let urls = image_urls(&page);
    assert!(
        urls.iter()
            .any(|(u, w)| u == "bridge-480.webp" && *w == 480),
        "{urls:?}"
    );
    for (url, width) in &urls {
        let bytes = std::fs::read(site.path(&format!("{PAGE}{url}")))
            .unwrap_or_else(|e| panic!("srcset names {url}, which is not published: {e}"));
        let img = image::load_from_memory(&bytes).expect("decode derivative");
        assert_eq!(img.width(), *width, "{url}");
        // Upright: portrait, and the stored top (red) is now on the right.
        assert!(
            img.height() > img.width(),
            "{url} is not upright: {}×{}",
            img.width(),
            img.height()
        );
        let rgb = img.to_rgb8();
        let (w, h) = rgb.dimensions();
        let left = rgb.get_pixel(w / 10, h / 2);
        let right = rgb.get_pixel(w * 9 / 10, h / 2);
        assert!(
            left[2] > 150 && left[0] < 100,
            "{url}: left should be blue, is {left:?}"
        );
        assert!(
            right[0] > 150 && right[2] < 100,
            "{url}: right should be red, is {right:?}"
        );
    }
    // Every <img>'s src exists with the width and height the tag states.
    for tag in page.split("<img ").skip(1) {
        let attr = |name: &str| {
            let start = tag
                .find(&format!(" {name}=\""))
                .map(|i| i + name.len() + 3)?;
            Some(tag[start..start + tag[start..].find('"')?].to_string())
        };
        let src = attr("src")
            .or_else(|| {
                tag.strip_prefix("src=\"")
                    .map(|t| t[..t.find('"').unwrap_or(0)].to_string())
            })
            .expect("src");
        let file = site.path(&format!("{PAGE}{}", src.trim_start_matches("./")));
        let (w, h) = image::image_dimensions(&file).unwrap_or_else(|e| panic!("{src}: {e}"));
        assert_eq!(attr("width"), Some(w.to_string()), "{src}");
        assert_eq!(attr("height"), Some(h.to_string()), "{src}");
    }
    // The social card is a 1200-px-wide JPEG (here the photo is only 1200 wide upright).
    assert!(
        page.contains(
            "og:image\" content=\"https://news.example.org/2022/08/02/bridge/bridge-card.jpg\""
        ),
        "{page}"
    );
    let card = image::image_dimensions(site.path(&format!("{PAGE}bridge-card.jpg"))).expect("card");
    assert_eq!(card, (1200, 1600));
    // The EXIF artist becomes a visible credit, not hidden metadata.
    assert!(
        page.contains("<span class=\"credit\">Zhang Xiaolan</span>"),
        "{page}"
    );
    assert!(!site.exists("public/.gazette-cache"));
}

#[test]
fn originals_are_published_only_when_the_site_asks() {
    let site = photo_site(&camera_jpeg(800, 600, 1), "正文。\n");
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{yaml}publish_original_photos: true\n"),
    );
    site.build();
    assert!(site.exists(&format!("{PAGE}bridge.jpg")));
    assert!(site.exists(&format!("{PAGE}bridge-800.webp")));
}

#[test]
fn a_rebuild_takes_photos_from_the_cache() {
    let site = photo_site(&camera_jpeg(1000, 750, 1), "正文。\n");
    site.build();
    let again = site.run(&["build"]);
    assert!(again.stderr.contains("0 files written"), "{}", again.stderr);
    // Mark the cached 480-px copy: a text edit republishes the mark, so no photo was decoded.
    let cached = walkdir::WalkDir::new(site.path(".gazette-cache"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() == "480.webp")
        .expect("cached derivative");
    std::fs::write(cached.path(), b"from the cache").expect("mark");
    let text = site.read(ARTICLE);
    site.write(ARTICLE, &text.replace("正文。", "改过的正文。"));
    site.build();
    assert_eq!(
        std::fs::read(site.path(&format!("{PAGE}bridge-480.webp"))).expect("read"),
        b"from the cache"
    );
}

fn fails_at(site: &Site, line: usize, words: &[&str]) {
    let stderr = site.build_fails();
    assert!(
        stderr.contains(&format!("{ARTICLE}:{line}:")),
        "no error at line {line}:\n{stderr}"
    );
    for w in words {
        assert!(stderr.contains(w), "`{w}` missing:\n{stderr}");
    }
    assert!(
        !site.exists("public/index.html"),
        "a failed build wrote the site"
    );
}

/// A camera photo cut off after its first 400 bytes, as an interrupted copy leaves it.
fn damaged_jpeg() -> Vec<u8> {
    let mut photo = camera_jpeg(800, 600, 1);
    photo.truncate(400);
    photo
}

#[test]
fn a_truncated_photo_is_an_error_at_the_line_using_it() {
    let photo = damaged_jpeg();
    // Front matter is lines 1–8 with the cover on line 6; the body image is on line 11.
    let site = photo_site(
        &camera_jpeg(800, 600, 1),
        "正文。\n\n![坏照片](broken.jpg)\n",
    );
    site.write_bytes("content/2022/08/bridge/broken.jpg", &photo);
    fails_at(&site, 11, &["broken.jpg", "damaged"]);
}

/// A damaged photo is an error where it is used and only there; one nothing uses is left
/// unpublished with a warning, and the story goes out.
#[test]
fn a_damaged_photo_is_reported_only_where_it_is_used() {
    let broken = damaged_jpeg();
    // Front matter is lines 1–8; the good photo is used on line 11, the damaged one on 13.
    let body = "正文。\n\n![好照片](bridge.jpg)\n\n![坏照片](broken.jpg)\n";
    let site = photo_site(&camera_jpeg(800, 600, 1), body);
    site.write_bytes("content/2022/08/bridge/broken.jpg", &broken);
    let stderr = site.build_fails();
    let at = |line: usize| {
        let start = format!("{ARTICLE}:{line}:");
        stderr.lines().filter(|l| l.starts_with(&start)).count()
    };
    assert_eq!((at(6), at(11), at(13)), (0, 0, 1), "{stderr}");
    assert!(!stderr.contains("not used by the article"), "{stderr}");

    let site = photo_site(&camera_jpeg(800, 600, 1), "正文。\n");
    site.write_bytes("content/2022/08/bridge/broken.jpg", &broken);
    let run = site.build();
    assert!(
        run.stderr.contains("warning:")
            && run.stderr.contains("broken.jpg")
            && run
                .stderr
                .contains("not used by the article, so not published"),
        "{}",
        run.stderr
    );
    let published = site.entries("public/2022/08/02/bridge");
    assert!(
        !published.iter().any(|f| f.starts_with("broken")),
        "{published:?}"
    );
}

#[test]
fn a_corrupt_cover_is_an_error_at_its_image_line() {
    let site = photo_site(&damaged_jpeg(), "正文。\n");
    fails_at(&site, 6, &["bridge.jpg", "damaged", "copy the photo"]);
}

/// A PNG header declaring 20000×20000 pixels (400 megapixels) in a file of 57 bytes.
fn png_bomb() -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&20_000u32.to_be_bytes());
    ihdr.extend_from_slice(&20_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn a_decompression_bomb_is_refused_before_decoding() {
    let site = photo_site(&camera_jpeg(800, 600, 1), "正文。\n\n![全景](bomb.png)\n");
    site.write_bytes("content/2022/08/bridge/bomb.png", &png_bomb());
    fails_at(
        &site,
        11,
        &[
            "bomb.png",
            "20000×20000",
            "megapixel limit",
            "scale it down",
        ],
    );
}

#[test]
fn a_heic_photo_is_refused_with_how_to_convert() {
    let site = photo_site(
        &camera_jpeg(800, 600, 1),
        "正文。\n\n![手机照片](phone.heic)\n",
    );
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.resize(2048, 0);
    site.write_bytes("content/2022/08/bridge/phone.heic", &heic);
    fails_at(&site, 11, &["phone.heic", "HEIC", "convert it to JPEG"]);
}

#[test]
fn check_warns_of_huge_photos_and_covers_without_a_caption() {
    let site = Site::new();
    site.article(
        "2022/08/bridge/index.md",
        &format!(
            "{}\nimage: bridge.jpg\ntags: [桥]",
            front("新桥通车", "2022-08-02", "community")
        ),
        "正文。\n",
    );
    // A small photo padded past 20 MB after its end marker, as some camera apps write.
    let mut photo = camera_jpeg(400, 300, 1);
    photo.resize(21_000_000, 0);
    site.write_bytes("content/2022/08/bridge/bridge.jpg", &photo);
    let run = site.run(&["check"]);
    assert!(
        run.stderr.contains(&format!(
            "{ARTICLE}:6:8: warning: the cover photo has no caption"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the photo `bridge.jpg` is 21.0 MB"),
        "{}",
        run.stderr
    );
}

/// A photo is too big by its pixels as well as its bytes: a stitched panorama compresses
/// well but is still far past any page's need.
#[test]
fn check_warns_of_photos_past_fifty_megapixels() {
    let site = photo_site(&camera_jpeg(10_000, 5_001, 1), "正文。\n");
    let run = site.run(&["check"]);
    assert!(
        run.stderr.contains("the photo `bridge.jpg` is")
            && run.stderr.contains("and 50.0 megapixels"),
        "{}",
        run.stderr
    );
}

/// A camera photo saved while the preview runs is resized beside the rebuilds: a text edit
/// saved right after it is served first, and the photo's sizes follow on their own.
#[test]
fn a_new_photo_does_not_hold_up_a_text_edit_in_the_preview() {
    let site = photo_site(&camera_photo(1600, 1200), "新桥今天通车。\n");
    site.article(
        "2022/08/other.md",
        &front("另一篇报道", "2022-08-03", "community"),
        "原来的正文。\n",
    );
    let server = crate::serve::serve(&site);
    let mut events = crate::serve::Events::connect(server.addr);

    site.write_bytes(
        "content/2022/08/bridge/crowd.jpg",
        &camera_photo(4000, 3000),
    );
    site.article(
        "2022/08/other.md",
        &front("另一篇报道", "2022-08-03", "community"),
        "改过的正文。\n",
    );
    let first = events.next_of("reload", "the text edit");
    let paths = first["paths"].to_string();
    assert!(paths.contains("2022/08/03/other/index.html"), "{first}");
    assert!(
        !paths.contains("crowd"),
        "the text edit waited for the photo: {first}"
    );
    let page = crate::serve::request(server.addr, "GET", "/2022/08/03/other/").text();
    assert!(page.contains("改过的正文"), "{page}");

    let second = events.next_of("reload", "the new photo's sizes");
    assert!(
        second["paths"].to_string().contains("crowd-480.webp"),
        "{second}"
    );
    let photo = crate::serve::request(server.addr, "GET", "/2022/08/02/bridge/crowd-480.webp");
    assert_eq!(photo.status, 200);
}
