//! A bound on how deeply elements nest before the tree is built.
//!
//! html5ever's tree builder looks through the stack of open elements for most tags it meets, so
//! a page of 100,000 nested `<div>`s costs it time in the square of the depth (minutes; the
//! tree is built before any bound on the reader could help). Browsers stop nesting at a depth
//! of 512 (Chromium's parser puts deeper elements beside their parent). This does the same
//! before parsing: a scan of the bytes for tags, and past [`MAX_DEPTH`] open elements, the tags
//! (not their text) are left out. The scan guesses the depth without a parser: elements that
//! are void or that close themselves when a sibling opens (`<p>`, `<li>`, `<td>`...) are not
//! counted, comments and the text of scripts and styles are passed over. A page that never goes
//! deep is returned as it is, without a copy.

use std::borrow::Cow;

/// Elements open at once beyond which tags are left out.
pub const MAX_DEPTH: usize = 512;

/// Elements that never have content, or whose end tag is implied by the next sibling: they do
/// not add to the depth.
const NOT_NESTING: [&str; 27] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
    "tbody", "thead", "tfoot",
];

/// Elements whose content is text up to their end tag, whatever it looks like.
const RAW: [&str; 5] = ["script", "style", "textarea", "title", "xmp"];

/// Elements whose tags are left out without a space: they sit inside words.
const INLINE: [&str; 12] = [
    "a", "b", "i", "u", "em", "strong", "span", "font", "small", "sub", "sup", "mark",
];

/// `html` with the tags of elements nested deeper than [`MAX_DEPTH`] left out.
pub fn bounded(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    // Start tags left out and not yet closed: the next end tags are theirs.
    let mut left_open = 0usize;
    // Byte ranges of tags to leave out, and whether each leaves a space.
    let mut cuts: Vec<(usize, usize, bool)> = Vec::new();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + offset;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            at = find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name = &bytes[name_start..name_start + name_len];
        let Some(end) = bytes[name_start..].iter().position(|&b| b == b'>') else {
            break;
        };
        let end = name_start + end + 1;
        let self_closing = bytes[end - 2] == b'/';
        let counts = !self_closing && !is_one_of(name, &NOT_NESTING);
        let inline = is_one_of(name, &INLINE);
        if closing {
            if counts && left_open > 0 {
                left_open -= 1;
                cuts.push((start, end, !inline));
            } else if counts {
                depth = depth.saturating_sub(1);
            }
        } else if counts && depth >= MAX_DEPTH {
            left_open += 1;
            cuts.push((start, end, !inline));
        } else if counts {
            depth += 1;
        }
        at = end;
        if !closing && is_one_of(name, &RAW) {
            // Its text runs to its end tag, which the next turn reads.
            let close = [b"</".as_slice(), name].concat();
            at = find_ignoring_case(bytes, at, &close).unwrap_or(bytes.len());
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (start, end, space) in cuts {
        out.push_str(&html[from..start]);
        if space {
            out.push(' ');
        }
        from = end;
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

/// Whether the tag name `name` is one of `names` (lower case), in any case.
fn is_one_of(name: &[u8], names: &[&str]) -> bool {
    names
        .iter()
        .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

fn find_ignoring_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_not_copied() {
        let page = "<html><body><ul><li>one<li>two</ul><p>a<br>b<img src=x><p>c \
                    <script>if (a<b) { document.write('<div><div>') }</script></body></html>";
        assert!(matches!(bounded(page), Cow::Borrowed(_)));
        let many_paragraphs = "<p>x".repeat(10_000);
        assert!(matches!(bounded(&many_paragraphs), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_past_the_depth_are_left_out_and_their_text_kept() {
        let n = 2_000;
        let page = format!("{}Maizuru{}", "<div>".repeat(n), "</div>".repeat(n));
        let bounded = bounded(&page);
        assert_eq!(bounded.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(bounded.matches("</div>").count(), MAX_DEPTH);
        assert!(bounded.contains("Maizuru"));
        let unclosed = format!("{}Maizuru", "<span><div>".repeat(n));
        let bounded = bounded_owned(&unclosed);
        assert_eq!(bounded.matches('<').count(), MAX_DEPTH);
        assert!(bounded.ends_with("Maizuru"));
    }

    fn bounded_owned(html: &str) -> String {
        bounded(html).into_owned()
    }
}
