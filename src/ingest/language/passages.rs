//! A document cut into passages, each to get a language of its own: paragraphs merged up to a
//! few hundred bytes, and a new passage wherever the script changes for a while (a Russian
//! quotation inside an English line is a passage of its own).

use super::MIN_LETTERS;
use super::letters::{Family, Letters, family_of};

/// A passage ends at a paragraph break (blank line) once it has this many bytes...
const PASSAGE_PARAGRAPH_BYTES: usize = 200;
/// ...at a line break once it has this many...
const PASSAGE_LINE_BYTES: usize = 1000;
/// ...and never grows past this many.
const PASSAGE_MAX_BYTES: usize = 4000;

/// A passage before its language is decided.
pub(super) struct Draft {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) letters: Letters,
}

/// Cuts normalized text into passages: lines (and stretches of a line in another script) are
/// merged into passages of a few hundred bytes, ending at a paragraph break where possible; text
/// in another script always starts a new passage.
pub(super) fn split_passages(text: &str) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut current: Option<Draft> = None;
    let mut offset = 0;
    let mut after_blank = false;
    let pieces = text.split_inclusive('\n').flat_map(|line| {
        let line_start = offset;
        offset += line.len();
        script_segments(line)
            .into_iter()
            .map(move |(a, b)| (line_start + a, line_start + b))
    });
    for (start, end) in pieces {
        let piece = &text[start..end];
        if piece.trim().is_empty() {
            after_blank |= piece.ends_with('\n');
            if let Some(d) = current.as_mut() {
                d.end = end;
            }
            continue;
        }
        let letters = Letters::of(piece);
        let line_family = letters.dominant();
        let cut = current.as_ref().is_some_and(|d| {
            let size = d.end - d.start;
            let at_line_end = text[..start].ends_with('\n');
            let other_script = line_family.is_some()
                && d.letters.dominant().is_some()
                && line_family != d.letters.dominant();
            other_script
                || size >= PASSAGE_MAX_BYTES
                || (after_blank && size >= PASSAGE_PARAGRAPH_BYTES)
                || (at_line_end && size >= PASSAGE_LINE_BYTES)
        });
        if cut {
            drafts.extend(current.take());
        }
        match current.as_mut() {
            Some(d) => {
                d.end = end;
                d.letters.merge(&letters);
            }
            None => {
                current = Some(Draft {
                    start,
                    end,
                    letters,
                })
            }
        }
        after_blank = false;
    }
    drafts.extend(current);
    drafts
}

/// Splits a line where it changes script for at least [`MIN_LETTERS`] letters, so a Russian
/// quotation inside an English sentence is a passage of its own. Returns byte ranges covering
/// the whole line. Short runs (a Latin product name in Japanese text) do not split.
fn script_segments(line: &str) -> Vec<(usize, usize)> {
    let mut cuts = vec![0];
    let mut current: Option<Family> = None;
    // A run of another family being measured: where it started and its letters so far.
    let mut candidate: Option<(Family, usize, usize)> = None;
    let mut word_start = 0;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            word_start = i + c.len_utf8();
            continue;
        }
        let Some(f) = family_of(c) else { continue };
        let weight = f.weight();
        match (current, candidate) {
            (None, _) => current = Some(f),
            (Some(cur), _) if cur == f => candidate = None,
            (Some(_), Some((cf, start, n))) if cf == f => {
                if n + weight >= MIN_LETTERS {
                    cuts.push(start);
                    current = Some(f);
                    candidate = None;
                } else {
                    candidate = Some((cf, start, n + weight));
                }
            }
            (Some(_), _) => {
                // CJK has no spaces: the run starts at this character, not at the word.
                let start = if f == Family::Cjk {
                    i
                } else {
                    word_start.max(*cuts.last().unwrap_or(&0))
                };
                candidate = Some((f, start, weight));
            }
        }
    }
    cuts.dedup();
    let mut out: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    out.push((*cuts.last().unwrap_or(&0), line.len()));
    out
}
