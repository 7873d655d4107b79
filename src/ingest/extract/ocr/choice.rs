//! How a page is read (Tesseract's models and layout), and what a reading says about whether
//! they were the right ones.
//!
//! A reading with the wrong models is not only worse, it is visibly worse to Tesseract itself:
//! on real pages rendered at 300 and 150 dpi, and scanned badly, the right models read with a
//! mean word confidence of 74-95 and at most 23% of the characters in words below 50, the
//! wrong ones of a page in another script with 37-71 and 23-71% (see BENCHMARKS.md, "OCR model
//! choice"). So a choice made before reading (a neighbouring page's, the script detection's) is
//! checked on its own reading, and another is tried only when that reading is poor.

use icu_properties::props::Script as Unicode;

use crate::analysis::script::script;

/// Tesseract's page segmentation mode for a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Tesseract's default layout analysis (`--psm 3`).
    Page,
    /// With orientation detection, for a page the script detection found rotated (`--psm 1`).
    Rotated,
    /// One block of vertical text (`--psm 5`): Japanese and Chinese set in columns, which the
    /// default layout analysis reads across.
    Vertical,
    /// One block of lines (`--psm 6`): a sparse page (a label, a few lines of a note) whose
    /// lines the default layout analysis breaks into fragments.
    Block,
}

impl Layout {
    pub fn psm(self) -> &'static str {
        match self {
            Layout::Page => "3",
            Layout::Rotated => "1",
            Layout::Vertical => "5",
            Layout::Block => "6",
        }
    }
}

/// The models and layout a page is read with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub models: Vec<String>,
    pub layout: Layout,
}

/// A rectangle of a page, in pixels: left, top, width, height.
pub type Rect = [u32; 4];

/// What Tesseract's word confidences say about a reading.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Quality {
    /// Mean confidence of the words read (0-100), weighted by their characters.
    pub confidence: f32,
    /// Share of the characters read that are in words Tesseract gave less than 50.
    pub doubtful: f32,
    /// Characters read, spaces aside.
    pub chars: usize,
    /// The lines with the most doubtful characters, most first (at most [`DOUBTFUL_LINES`]):
    /// where a page in two scripts shows the one its models do not read.
    pub doubtful_lines: Vec<Rect>,
    /// Share of the lines found that are taller than wide: the columns of a page set
    /// vertically, which the default layout analysis finds but reads as horizontal lines.
    pub tall: f32,
}

/// Lines of doubtful words kept: enough characters for the script detection.
const DOUBTFUL_LINES: usize = 4;

/// Confidence a reading needs to be taken without trying other models; see the module's note
/// for the figures it sits between.
const GOOD_CONFIDENCE: f32 = 72.0;
/// Share of doubtful characters a reading may have and still be taken.
const GOOD_DOUBTFUL: f32 = 0.25;

impl Quality {
    /// Read from Tesseract's TSV output: a word's row has its block, paragraph and line
    /// numbers in columns 3-5, its box in 7-10, its confidence in 11 and its text in 12.
    pub fn of_tsv(tsv: &str) -> Quality {
        let (mut sum, mut chars, mut doubtful) = (0.0f64, 0usize, 0usize);
        let (mut found_lines, mut tall) = (0usize, 0usize);
        // Per line (block, paragraph, line): its box and its doubtful characters.
        let mut lines: Vec<([u32; 3], Rect, usize)> = Vec::new();
        for row in tsv.lines().skip(1) {
            let cells: Vec<&str> = row.split('\t').collect();
            let number = |i: usize| cells.get(i).and_then(|c| c.parse::<u32>().ok());
            // A line's row (level 4): its box says which way it runs.
            if let (Some(4), Some(width), Some(height)) = (number(0), number(8), number(9)) {
                found_lines += 1;
                if height * 2 > width * 3 {
                    tall += 1;
                }
                continue;
            }
            let (Some(conf), Some(word)) = (cells.get(10), cells.get(11)) else {
                continue;
            };
            let (Ok(conf), n) = (conf.parse::<f64>(), word.trim().chars().count()) else {
                continue;
            };
            if conf < 0.0 || n == 0 {
                continue;
            }
            sum += conf * n as f64;
            chars += n;
            if conf >= 50.0 {
                continue;
            }
            doubtful += n;
            let (Some(block), Some(par), Some(line)) = (number(2), number(3), number(4)) else {
                continue;
            };
            let (Some(left), Some(top), Some(width), Some(height)) =
                (number(6), number(7), number(8), number(9))
            else {
                continue;
            };
            let id = [block, par, line];
            match lines.iter_mut().find(|(l, _, _)| *l == id) {
                Some((_, rect, count)) => {
                    *rect = union(*rect, [left, top, width, height]);
                    *count += n;
                }
                None => lines.push((id, [left, top, width, height], n)),
            }
        }
        if chars == 0 {
            return Quality::default();
        }
        lines.sort_by_key(|&(_, _, count)| std::cmp::Reverse(count));
        Quality {
            confidence: (sum / chars as f64) as f32,
            doubtful: doubtful as f32 / chars as f32,
            chars,
            doubtful_lines: lines
                .into_iter()
                .take(DOUBTFUL_LINES)
                .map(|(_, rect, _)| rect)
                .collect(),
            tall: tall as f32 / found_lines.max(1) as f32,
        }
    }

    /// Whether the page looks set in columns: a third of its lines taller than wide.
    pub fn vertical(&self) -> bool {
        self.tall >= 0.3
    }

    /// Whether the reading is as Tesseract reads a page with the right models.
    pub fn good(&self) -> bool {
        self.confidence >= GOOD_CONFIDENCE && self.doubtful <= GOOD_DOUBTFUL
    }
}

/// `text` without the spaces Tesseract puts between Japanese or Chinese words (`シベ リア`),
/// which are written without them: searching `シベリア` finds the reading. Spaces beside Hangul
/// or Latin letters are Korean's and English's own, and stay.
pub fn join_cjk(text: &str) -> String {
    let spaceless = |c: char| {
        matches!(
            script(c),
            Unicode::Han | Unicode::Hiragana | Unicode::Katakana
        ) || matches!(c, '\u{3000}'..='\u{303f}' | '\u{30fc}' | '\u{ff01}'..='\u{ff0f}')
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = chars[..i].iter().rev().find(|&&b| b != ' ');
            let after = chars[i + 1..].iter().find(|&&a| a != ' ');
            if before.is_some_and(|&b| spaceless(b)) && after.is_some_and(|&a| spaceless(a)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The smallest rectangle holding `a` and `b`.
fn union(a: Rect, b: Rect) -> Rect {
    let left = a[0].min(b[0]);
    let top = a[1].min(b[1]);
    let right = a[0].saturating_add(a[2]).max(b[0].saturating_add(b[2]));
    let bottom = a[1].saturating_add(a[3]).max(b[1].saturating_add(b[3]));
    [left, top, right - left, bottom - top]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_weighs_words_by_characters_and_counts_the_doubtful() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t\n\
                   4\t1\t1\t1\t1\t0\t0\t0\t50\t12\t-1\t\n\
                   4\t1\t1\t1\t2\t0\t0\t30\t10\t12\t-1\t\n\
                   4\t1\t1\t1\t3\t0\t0\t60\t10\t40\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tMaizuru\n\
                   5\t1\t1\t1\t1\t2\t20\t0\t10\t10\t30\tat\n\
                   5\t1\t1\t1\t2\t1\t0\t30\t10\t12\t20\tx\n\
                   5\t1\t1\t1\t1\t3\t40\t2\t10\t10\t10\tyz\n";
        let quality = Quality::of_tsv(tsv);
        let expected = (90.0 * 7.0 + 30.0 * 2.0 + 20.0 + 10.0 * 2.0) / 12.0;
        assert!((quality.confidence - expected).abs() < 1e-3);
        assert!((quality.doubtful - 5.0 / 12.0).abs() < 1e-3);
        assert_eq!(quality.chars, 12);
        // The first line's doubtful words (4 characters) before the second's (1).
        assert_eq!(quality.doubtful_lines, [[20, 0, 30, 12], [0, 30, 10, 12]]);
        // One line of three is a column.
        assert!((quality.tall - 1.0 / 3.0).abs() < 1e-3);
        assert!(quality.vertical());
        assert_eq!(Quality::of_tsv(""), Quality::default());
        assert!(!Quality::default().good());
    }

    #[test]
    fn spaces_between_japanese_and_chinese_words_go() {
        assert_eq!(join_cjk("シベ リア 抑留 者 は"), "シベリア抑留者は");
        assert_eq!(join_cjk("舞鶴 港 に Koan Maru が"), "舞鶴港に Koan Maru が");
        assert_eq!(join_cjk("설치 방법은 다음과"), "설치 방법은 다음과");
        assert_eq!(join_cjk("战俘 经由\n纳霍德卡"), "战俘经由\n纳霍德卡");
    }
}
