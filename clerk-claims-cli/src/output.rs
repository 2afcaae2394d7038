//! Human output at a glance: colour and aligned columns.
//!
//! Colour goes through `anstyle` styles printed by `anstream` (see `main`), which drops the
//! escapes when stdout is not a terminal, when `NO_COLOR` is set, or when the terminal cannot
//! show them. Columns are padded on the plain text before styling, so escapes never skew the
//! alignment; hand-written because it is a dozen lines (a table crate would bring borders and
//! width logic this output does not use).

use std::time::Duration;

use anstyle::{AnsiColor, Style};

/// A passing check, an active session.
pub const GOOD: Style = AnsiColor::Green.on_default().bold();
/// A failing check, a revoked session.
pub const BAD: Style = AnsiColor::Red.on_default().bold();
/// Secondary information (IDs, hints).
pub const DIM: Style = Style::new().dimmed();
/// Column headers.
pub const HEAD: Style = Style::new().bold();
/// No style.
pub const PLAIN: Style = Style::new();

/// `text` in `style` (plain once `anstream` strips the escapes).
pub fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// One cell: its text and style.
pub type Cell = (String, Style);

/// Rows of cells with every column padded to its widest cell (by characters), two spaces
/// apart, header in [`HEAD`]. The last column is not padded (no trailing spaces).
pub fn table(header: &[&str], rows: &[Vec<Cell>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, (text, _)) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(text.chars().count());
        }
    }
    let line = |cells: Vec<(&str, Style)>| -> String {
        let last = cells.len().saturating_sub(1);
        let mut out = String::new();
        for (i, (text, style)) in cells.into_iter().enumerate() {
            out.push_str(&paint(style, text));
            if i < last {
                let pad = widths[i] - text.chars().count() + 2;
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out
    };
    let mut out = vec![line(header.iter().map(|h| (*h, HEAD)).collect())];
    for row in rows {
        out.push(line(row.iter().map(|(t, s)| (t.as_str(), *s)).collect()));
    }
    out.join("\n")
}

/// How long ago, the way a device list says it: `just now`, `3 min ago`, `5 h ago`,
/// `2 days ago`.
pub fn ago(elapsed: Duration) -> String {
    let s = elapsed.as_secs();
    match s {
        0..60 => "just now".to_owned(),
        60..3600 => format!("{} min ago", s / 60),
        3600..86_400 => format!("{} h ago", s / 3600),
        86_400..172_800 => "1 day ago".to_owned(),
        _ => format!("{} days ago", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ago_says_minutes_hours_and_days() {
        assert_eq!(ago(Duration::from_secs(59)), "just now");
        assert_eq!(ago(Duration::from_secs(3 * 60 + 59)), "3 min ago");
        assert_eq!(ago(Duration::from_secs(5 * 3600 + 1)), "5 h ago");
        assert_eq!(ago(Duration::from_secs(86_400)), "1 day ago");
        assert_eq!(ago(Duration::from_secs(9 * 86_400)), "9 days ago");
    }

    #[test]
    fn table_pads_columns_on_plain_text_and_leaves_no_trailing_space() {
        let rows = vec![
            vec![("a".to_owned(), GOOD), ("x".to_owned(), PLAIN)],
            vec![("longer".to_owned(), PLAIN), ("y".to_owned(), PLAIN)],
        ];
        let styled = table(&["H", "LAST"], &rows);
        let plain = anstream::adapter::strip_str(&styled).to_string();
        assert_eq!(plain, "H       LAST\na       x\nlonger  y");
    }
}
