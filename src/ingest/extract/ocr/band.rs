//! The parts of a page that Tesseract's script detection looks at: a band across its middle
//! before it is read, and the lines a poor reading doubted most.
//!
//! The detection finds the page's characters before it classifies a few dozen of them, and
//! finding them on a whole page at 300 dpi costs about a third of reading an English page; on a
//! band of three tenths of the page, with fewer characters classified, it costs a quarter of
//! that and names the same scripts (see BENCHMARKS.md, "OCR model choice").

use std::path::Path;

use image::{DynamicImage, GrayImage, ImageFormat, ImageReader, Limits, Luma};

use super::choice::Rect;

/// Where the band starts and how tall it is, in hundredths of the page's height.
const TOP: u32 = 35;
const HEIGHT: u32 = 30;

/// Memory decoding a page may take: a 600 dpi A3 scan in colour is 210 MB.
const MAX_DECODED: u64 = 512 << 20;

/// Writes the middle band of `page` (its first frame for a multi-page TIFF) to `out` as a
/// grey PNG. `None` when the image cannot be decoded here (JPEG 2000, a format Tesseract reads
/// but this crate does not): the script detection then looks at the whole page.
pub fn middle_band(page: &Path, out: &Path) -> Option<()> {
    let image = decode(page)?;
    let (width, height) = (image.width(), image.height());
    let band = image.crop_imm(0, height * TOP / 100, width, (height * HEIGHT / 100).max(1));
    band.into_luma8()
        .save_with_format(out, ImageFormat::Png)
        .ok()
}

/// Writes `lines` of `page` one under the other to `out`, as a grey PNG with a margin around
/// each: the words a reading doubted, for the script detection to name their script. `None`
/// when the image cannot be decoded here or no line is on it.
pub fn lines(page: &Path, lines: &[Rect], out: &Path) -> Option<()> {
    const MARGIN: u32 = 10;
    let image = decode(page)?.into_luma8();
    let crops: Vec<GrayImage> = lines
        .iter()
        .filter(|[left, top, width, height]| {
            *width > 0
                && *height > 0
                && left.saturating_add(*width) <= image.width()
                && top.saturating_add(*height) <= image.height()
        })
        .map(|&[left, top, width, height]| {
            image::imageops::crop_imm(&image, left, top, width, height).to_image()
        })
        .collect();
    let width = crops.iter().map(GrayImage::width).max()? + 2 * MARGIN;
    let height = crops.iter().map(|c| c.height() + MARGIN).sum::<u32>() + MARGIN;
    let mut sheet = GrayImage::from_pixel(width, height, Luma([255]));
    let mut y = MARGIN;
    for crop in &crops {
        image::imageops::replace(&mut sheet, crop, i64::from(MARGIN), i64::from(y));
        y += crop.height() + MARGIN;
    }
    sheet.save_with_format(out, ImageFormat::Png).ok()
}

/// The page's image (its first frame), within [`MAX_DECODED`] of memory.
fn decode(page: &Path) -> Option<DynamicImage> {
    let mut reader = ImageReader::open(page).ok()?.with_guessed_format().ok()?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODED);
    reader.limits(limits);
    reader.decode().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_is_the_middle_of_the_page_and_garbage_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let page = dir.path().join("page.png");
        let mut image = image::GrayImage::from_pixel(100, 200, image::Luma([255]));
        // A black line at 50% of the height: inside the band.
        for x in 0..100 {
            image.put_pixel(x, 100, image::Luma([0]));
        }
        image.save(&page).expect("page");
        let band = dir.path().join("band.png");
        assert!(middle_band(&page, &band).is_some());
        let band = image::open(&band).expect("band").into_luma8();
        assert_eq!(band.dimensions(), (100, 60));
        assert_eq!(band.get_pixel(5, 100 - 70).0, [0]);
        // The lines are stacked with a margin; one off the page is left out.
        let sheet = dir.path().join("lines.png");
        assert!(
            lines(
                &page,
                &[[0, 95, 50, 10], [10, 90, 20, 20], [90, 190, 20, 20]],
                &sheet
            )
            .is_some()
        );
        let sheet = image::open(&sheet).expect("lines").into_luma8();
        assert_eq!(sheet.dimensions(), (50 + 20, 10 + 10 + 20 + 10 + 10));
        assert_eq!(sheet.get_pixel(10, 10 + 5).0, [0]);
        assert!(lines(&page, &[[90, 190, 20, 20]], &dir.path().join("none.png")).is_none());
        std::fs::write(&page, b"not an image").expect("write");
        assert!(middle_band(&page, &dir.path().join("none.png")).is_none());
    }
}
