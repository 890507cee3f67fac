//! Pixel loops for Gazette's photos, behind plain non-generic functions.
//!
//! Why a crate of its own: `fast_image_resize` is generic, so its SIMD convolution is
//! compiled in whichever crate calls it, at that crate's optimization level. Called from
//! Gazette in a dev build (tests, `cargo run`) that is level 0, and resizing one camera
//! photo took tens of seconds. Here the calls are instantiated in this crate, which the
//! workspace profile optimizes even in dev builds. Only the RGB pixel type is instantiated
//! (the typed API), which keeps this crate's optimized compile short.

use fast_image_resize::images::{TypedImage, TypedImageRef};
use fast_image_resize::pixels::U8x3;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};

/// Resizes packed 8-bit RGB pixels (`width`×`height`) to `to_width`×`to_height` with a
/// Lanczos3 filter, the usual choice for downscaling photos (sharp, little ringing).
pub fn resize_rgb(
    pixels: &[u8],
    width: u32,
    height: u32,
    to_width: u32,
    to_height: u32,
) -> Result<Vec<u8>, String> {
    let src =
        TypedImageRef::<U8x3>::from_buffer(width, height, pixels).map_err(|e| e.to_string())?;
    let mut out = vec![0u8; to_width as usize * to_height as usize * 3];
    let mut dst = TypedImage::<U8x3>::from_buffer(to_width, to_height, &mut out)
        .map_err(|e| e.to_string())?;
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize_typed(&src, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    Ok(out)
}
