//! Writers for everything termalign exports: aligned CSV, TMX, findings
//! (CSV, JSON Lines), HTML report. Every writer escapes for its format.

use std::borrow::Cow;

/// Neutralise a CSV cell that a spreadsheet would read as a formula: a cell
/// beginning with `=`, `+`, `-`, `@`, tab or carriage return gets a leading
/// apostrophe (the OWASP rule). Everything else is returned unchanged.
pub fn csv_safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Remove characters XML 1.0 forbids (C0 controls other than tab, LF, CR;
/// U+FFFE, U+FFFF). Escaping of `& < > " '` is left to the XML writer.
pub fn xml_clean(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c < '\u{20}' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if s.chars().any(bad) {
        Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Escape text for HTML/XML content and attribute values (the five entities).
pub fn xml_escape(s: &str) -> String {
    let s = xml_clean(s);
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_formula_cells_neutralised() {
        for (input, want) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("حقوق الإنسان", "حقوق الإنسان"),
            ("", ""),
        ] {
            assert_eq!(csv_safe(input), want);
        }
    }

    #[test]
    fn xml_escape_and_clean() {
        assert_eq!(
            xml_escape("<script>&\"'\u{1}"),
            "&lt;script&gt;&amp;&quot;&apos;"
        );
    }
}
