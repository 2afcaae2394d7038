//! The expression grammar inside `{{ }}` and the classification of whole claim strings, as
//! Clerk's template engine reads them. Parsing here is STRICT: everything Clerk's engine would silently pass through
//! as literal text (unknown names, spaces around a lone shortcode, unclosed braces) is an error.
//!
//! Hand-written recursive descent rather than a parser crate: the grammar is a dozen lines,
//! and errors must point at the exact byte with Clerk-specific advice.

use std::fmt;
use std::ops::Range;

use crate::catalogue::{PATH_ROOTS, lookup, path_root, suggest};
use crate::{ClaimString, Expr, JsonType, Literal, Nullability, Operand, ParseError, Segment};

impl ParseError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        ParseError {
            offset,
            message: message.into(),
            suggestion: None,
        }
    }

    /// The same error with its offset moved by `by` bytes (an expression inside a claim string).
    pub fn shifted(mut self, by: usize) -> Self {
        self.offset += by;
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

/// Go's `\s` in RE2: space, `\t`, `\n`, `\f`, `\r`.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// `\w` in RE2 (ASCII only).
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn describe(src: &str, at: usize) -> String {
    match src.get(at..).and_then(|s| s.chars().next()) {
        Some(c) => format!("`{c}`"),
        None => "the end of the expression".to_string(),
    }
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn skip_spaces(&mut self) {
        while self.bytes.get(self.pos).copied().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn operand(&mut self, first: bool) -> Result<Operand, ParseError> {
        let start = self.pos;
        match self.peek() {
            Some(b'\'') => {
                if first {
                    return Err(ParseError::new(
                        start,
                        "expected a shortcode as the first operand, found a string literal: \
                         Clerk only accepts a literal as a fallback after `||` \
                         (write e.g. `user.first_name || 'anonymous'`)",
                    ));
                }
                self.string_literal()
            }
            Some(b) if b.is_ascii_digit() => {
                if first {
                    return Err(ParseError::new(
                        start,
                        "expected a shortcode as the first operand, found a number: Clerk only \
                         accepts a literal as a fallback after `||` (write e.g. \
                         `user.public_metadata.age || 30`)",
                    ));
                }
                self.number()
            }
            Some(b) if is_word(b) => self.identifier(first),
            Some(b'-') if !first => Err(ParseError::new(
                start,
                "expected a literal, found `-`: Clerk's template language has no negative \
                 numbers (use a string literal such as `'-1'`, or a metadata value)",
            )),
            Some(b'"') => Err(ParseError::new(
                start,
                "expected a single-quoted string literal, found `\"`: Clerk's string literals use \
                 single quotes (write `'text'`)",
            )),
            _ => Err(ParseError::new(
                start,
                format!(
                    "expected {}, found {}",
                    if first {
                        "a shortcode such as `user.id`"
                    } else {
                        "a shortcode or a literal"
                    },
                    describe(self.src, start)
                ),
            )),
        }
    }

    fn string_literal(&mut self) -> Result<Operand, ParseError> {
        let start = self.pos;
        let body = start + 1;
        let Some(len) = self.src.get(body..).and_then(|s| s.find('\'')) else {
            return Err(ParseError::new(
                start,
                "expected a closing `'` for this string literal, found the end of the expression \
                 (Clerk's string literals have no escapes and cannot contain `'`)",
            ));
        };
        let text = self.src.get(body..body + len).unwrap_or_default();
        if let Some(i) = text.find("||") {
            return Err(ParseError::new(
                body + i,
                "expected string literal text without `||`, found `||`: Clerk splits the whole \
                 expression on every `||`, even inside quotes",
            ));
        }
        self.pos = body + len + 1;
        Ok(Operand::Literal(Literal::Str(text.to_string())))
    }

    fn number(&mut self) -> Result<Operand, ParseError> {
        let start = self.pos;
        while self.peek().is_some_and(|b| is_word(b) || b == b'.') {
            self.pos += 1;
        }
        let text = self.src.get(start..self.pos).unwrap_or_default();
        let bad = |what: &str| {
            ParseError::new(
                start,
                format!(
                    "expected a number literal (digits, optionally `.` and digits), found `{text}`{what}"
                ),
            )
        };
        match text.split_once('.') {
            None if text.bytes().all(|b| b.is_ascii_digit()) => text
                .parse::<i64>()
                .map(|n| Operand::Literal(Literal::Int(n)))
                .map_err(|_| bad(": it does not fit a 64-bit integer")),
            Some((int, frac))
                if !int.is_empty()
                    && !frac.is_empty()
                    && int.bytes().all(|b| b.is_ascii_digit())
                    && frac.bytes().all(|b| b.is_ascii_digit()) =>
            {
                text.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| Operand::Literal(Literal::Float(f)))
                    .ok_or_else(|| bad(": it is not a finite float"))
            }
            _ => Err(bad(
                ": Clerk would treat it as the string literal instead, write `'…'`",
            )),
        }
    }

    fn identifier(&mut self, first: bool) -> Result<Operand, ParseError> {
        let start = self.pos;
        loop {
            let seg = self.pos;
            while self.peek().is_some_and(is_word) {
                self.pos += 1;
            }
            if self.pos == seg {
                return Err(ParseError::new(
                    seg,
                    format!(
                        "expected a name segment (letters, digits, `_`) after `.`, found {}",
                        describe(self.src, seg)
                    ),
                ));
            }
            if self.peek() == Some(b'.') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let name = self.src.get(start..self.pos).unwrap_or_default();
        if let Some(b) = self.peek().filter(|b| !is_space(*b) && *b != b'|') {
            // e.g. `user.public_metadata.first-name`: a path segment stops at `-`.
            let at = self.pos;
            return Err(ParseError::new(
                at,
                format!(
                    "expected `||` or the end of the expression after `{name}`, found `{}`: \
                     name segments may only contain letters, digits and `_`",
                    b as char
                ),
            ));
        }
        if !first {
            match name {
                "null" => return Ok(Operand::Literal(Literal::Null)),
                "true" => return Ok(Operand::Literal(Literal::Bool(true))),
                "false" => return Ok(Operand::Literal(Literal::Bool(false))),
                _ => {}
            }
        }
        if let Some(s) = lookup(name) {
            return Ok(Operand::Shortcode(s));
        }
        if let Some((root, rest)) = path_root(name) {
            let path = rest
                .split('.')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            return Ok(Operand::Path { root, path });
        }
        let suggestion = suggest(name);
        let mut message = format!(
            "unknown shortcode `{name}`: expected a shortcode from Clerk's catalogue or a metadata path"
        );
        // `user.company`: custom fields live in the entity's public metadata.
        let metadata = name.split_once('.').and_then(|(entity, rest)| {
            let root = PATH_ROOTS
                .iter()
                .map(|(root, _)| *root)
                .find(|root| root.strip_suffix(".public_metadata") == Some(entity))?;
            Some(format!("{root}.{rest}"))
        });
        match (suggestion, metadata) {
            (Some(s), _) => message.push_str(&format!(", did you mean `{s}`?")),
            (None, Some(path)) => message.push_str(&format!(
                "; custom fields live in metadata: did you mean `{path}`?"
            )),
            (None, None) => message.push_str(
                " (Clerk's shortcodes: https://clerk.com/docs/backend-requests/jwt-templates)",
            ),
        }
        if !first {
            message.push_str(
                " (Clerk's engine would send the unknown name as the literal string; quote it as \
                 `'…'` if that is what you want)",
            );
        }
        Err(ParseError {
            offset: start,
            message,
            suggestion,
        })
    }
}

/// Parses the text inside `{{ }}`: one shortcode or metadata path, or a `||` chain whose first
/// operand is a shortcode or path and whose later operands may be literals.
///
/// Strict: unknown names are errors carrying a suggestion, and a lone operand with spaces
/// around it is an error because Clerk's exact lookup does not trim it.
pub fn parse_expr(src: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        src,
        bytes: src.as_bytes(),
        pos: 0,
    };
    let mut operands = Vec::new();
    loop {
        p.skip_spaces();
        operands.push(p.operand(operands.is_empty())?);
        p.skip_spaces();
        match p.peek() {
            None => break,
            Some(b'|') if p.bytes.get(p.pos + 1) == Some(&b'|') => p.pos += 2,
            Some(_) => {
                return Err(ParseError::new(
                    p.pos,
                    format!(
                        "expected `||` or the end of the expression, found {}",
                        describe(src, p.pos)
                    ),
                ));
            }
        }
    }
    if operands.len() == 1 {
        let trimmed = src.trim_matches(|c: char| c.is_ascii() && is_space(c as u8));
        if trimmed.len() != src.len() {
            let at = src.len()
                - src
                    .trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8))
                    .len();
            let at = if at == 0 { trimmed.len() } else { 0 };
            return Err(ParseError::new(
                at,
                format!(
                    "expected no spaces inside the braces, found spaces around `{trimmed}`: \
                     spaces inside braces are not trimmed by Clerk: write `{{{{{trimmed}}}}}`"
                ),
            ));
        }
    }
    Ok(Expr { operands })
}

/// The byte ranges of the `{{…}}` that Clerk's engine substitutes in a claim string, braces
/// included, left to right: the non-overlapping matches of its interpolation regex
/// `{{[^}]+}}`. The renderer replaces each range; the parser parses what is inside.
///
/// ```
/// let s = "Hi {{user.first_name}}, {{}} stays, {{org.name}}";
/// let found: Vec<&str> = clerk_claims_lang::interpolations(s).map(|r| &s[r]).collect();
/// assert_eq!(found, ["{{user.first_name}}", "{{org.name}}"]);
/// ```
pub fn interpolations(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let (start, end) = next_braces(s, from)?;
        from = end;
        Some(start..end)
    })
}

/// Finds the next `{{[^}]+}}` at or after byte `from`, as the leftmost match of Clerk's
/// interpolation regex. Returns the byte range `(start, end)` of the whole match, braces included.
fn next_braces(s: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut i = from;
    while i + 1 < bytes.len() {
        if bytes.get(i..i + 2) == Some(b"{{") {
            let body = i + 2;
            let close = bytes
                .get(body..)?
                .iter()
                .position(|b| *b == b'}')
                .map(|p| body + p);
            if let Some(c) = close
                && c > body
                && bytes.get(c + 1) == Some(&b'}')
            {
                return Some((i, c + 2));
            }
        }
        i += 1;
    }
    None
}

/// Parses a whole claim string value and classifies it as Clerk's engine does:
/// no `{{` → [`ClaimString::Static`]; exactly one expression filling the value →
/// [`ClaimString::Whole`]; otherwise [`ClaimString::Interpolated`].
///
/// Strict: every `{{…}}` must parse, and a `{{` that Clerk would leave as text (unclosed,
/// empty) is an error.
pub fn parse_claim_string(s: &str) -> Result<ClaimString, ParseError> {
    if !s.contains("{{") {
        return Ok(ClaimString::Static(s.to_string()));
    }
    if let Some(inner) = s.strip_prefix("{{").and_then(|r| r.strip_suffix("}}"))
        && !inner.is_empty()
    {
        match parse_expr(inner) {
            Ok(expr) => return Ok(ClaimString::Whole(expr)),
            Err(e) => {
                if interpolations(s).next() == Some(0..s.len()) {
                    return Err(e.shifted(2));
                }
            }
        }
    }
    let mut segments = Vec::new();
    let mut from = 0;
    for Range { start, end } in interpolations(s) {
        let text = s.get(from..start).unwrap_or_default();
        check_text(text, from)?;
        if !text.is_empty() {
            segments.push(Segment::Text(text.to_string()));
        }
        let inner = s.get(start + 2..end - 2).unwrap_or_default();
        segments.push(Segment::Expr(
            parse_expr(inner).map_err(|e| e.shifted(start + 2))?,
        ));
        from = end;
    }
    let tail = s.get(from..).unwrap_or_default();
    check_text(tail, from)?;
    if !tail.is_empty() {
        segments.push(Segment::Text(tail.to_string()));
    }
    Ok(ClaimString::Interpolated(segments))
}

/// Text between expressions may not contain a `{{` that Clerk would not substitute.
fn check_text(text: &str, offset: usize) -> Result<(), ParseError> {
    match text.find("{{") {
        None => Ok(()),
        Some(i) => {
            let rest = text.get(i + 2..).unwrap_or_default();
            let message = if rest.starts_with('}') {
                "expected a shortcode inside `{{}}`, found nothing: Clerk leaves empty braces as \
                 literal text; remove them or write e.g. `{{user.id}}`"
                    .to_string()
            } else {
                "expected `}}` closing this `{{`, found none before the end of the string (or a \
                 single `}` inside): Clerk would send the text unchanged"
                    .to_string()
            };
            Err(ParseError::new(offset + i, message))
        }
    }
}

fn operand_definitely_truthy(op: &Operand) -> bool {
    match op {
        Operand::Literal(Literal::Null | Literal::Bool(false)) => false,
        Operand::Literal(_) => true,
        Operand::Shortcode(s) => {
            s.nullability == Nullability::Never && !matches!(s.ty, JsonType::Bool | JsonType::Any)
        }
        Operand::Path { root, path } => path.is_empty() && root.nullability() == Nullability::Never,
    }
}

fn operand_can_be_null(op: &Operand) -> bool {
    match op {
        Operand::Literal(l) => *l == Literal::Null,
        Operand::Shortcode(s) => s.nullability != Nullability::Never,
        Operand::Path { root, path } => {
            !path.is_empty() || root.nullability() != Nullability::Never
        }
    }
}

impl Operand {
    /// The JSON type this operand substitutes to when it is the result; `None` for the
    /// literal `null` (the nullability rules cover it).
    pub fn json_type(&self) -> Option<JsonType> {
        match self {
            Operand::Literal(Literal::Null) => None,
            Operand::Literal(Literal::Bool(_)) => Some(JsonType::Bool),
            Operand::Literal(Literal::Int(_) | Literal::Float(_)) => Some(JsonType::Number),
            Operand::Literal(Literal::Str(_)) => Some(JsonType::String),
            Operand::Shortcode(s) => Some(s.ty),
            Operand::Path { path, .. } if path.is_empty() => Some(JsonType::Object),
            Operand::Path { .. } => Some(JsonType::Any),
        }
    }
}

impl Expr {
    /// The operands that can decide the result: up to and including the first one that is
    /// always truthy (Clerk stops there), or all of them.
    pub fn reachable(&self) -> &[Operand] {
        let end = self
            .operands
            .iter()
            .position(operand_definitely_truthy)
            .map_or(self.operands.len(), |i| i + 1);
        self.operands.get(..end).unwrap_or(&self.operands)
    }

    /// The alternatives whose own value can become the result: the reachable operands, except
    /// a `null` or `false` literal before the last one (Clerk skips a falsy value and goes on).
    /// A claim's type must hold each of them.
    pub fn alternatives(&self) -> impl Iterator<Item = &Operand> + '_ {
        let reachable = self.reachable();
        let last = reachable.len().saturating_sub(1);
        reachable.iter().enumerate().filter_map(move |(i, op)| {
            let skipped =
                i != last && matches!(op, Operand::Literal(Literal::Null | Literal::Bool(false)));
            (!skipped).then_some(op)
        })
    }

    /// The JSON type of the result: the one type of every alternative that can be returned,
    /// else [`JsonType::Any`].
    pub fn json_type(&self) -> JsonType {
        let mut ty = None;
        for op in self.alternatives() {
            match (ty, op.json_type()) {
                (_, None) => {}
                (None, Some(t)) => ty = Some(t),
                (Some(a), Some(b)) if a == b => {}
                _ => return JsonType::Any,
            }
        }
        ty.unwrap_or(JsonType::Any)
    }

    /// Whether the result can be `null`: only when the last operand is reached (every earlier
    /// one can be falsy, i.e. `null` or `false`) and it can be null itself.
    pub fn can_be_null(&self) -> bool {
        let reachable = self.reachable();
        reachable.len() == self.operands.len()
            && self.operands.last().is_some_and(operand_can_be_null)
    }

    /// Whether any operand reads the active organization (`org.*`, `org_membership.*`).
    pub fn org_scoped(&self) -> bool {
        self.operands.iter().any(|op| match op {
            Operand::Shortcode(s) => s.org_scoped(),
            Operand::Path { root, .. } => root.org_scoped(),
            Operand::Literal(_) => false,
        })
    }

    /// Every catalogue shortcode used, deprecated ones included.
    pub fn shortcodes(&self) -> impl Iterator<Item = &'static crate::Shortcode> + '_ {
        self.operands.iter().filter_map(|op| match op {
            Operand::Shortcode(s) => Some(*s),
            _ => None,
        })
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(n) => write!(f, "{n}"),
            Literal::Float(x) => {
                let text = x.to_string();
                if text.contains('.') {
                    f.write_str(&text)
                } else {
                    write!(f, "{text}.0")
                }
            }
            Literal::Str(s) => write!(f, "'{s}'"),
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Shortcode(s) => f.write_str(s.name),
            Operand::Path { root, path } => {
                f.write_str(root.name())?;
                for seg in path {
                    write!(f, ".{seg}")?;
                }
                Ok(())
            }
            Operand::Literal(l) => write!(f, "{l}"),
        }
    }
}

impl fmt::Display for Expr {
    /// Canonical text, operands joined by ` || `, e.g. `user.public_metadata.plan || 'free'`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, op) in self.operands.iter().enumerate() {
            if i > 0 {
                f.write_str(" || ")?;
            }
            write!(f, "{op}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ClaimString {
    /// The claim string as it goes into the template JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimString::Static(s) => f.write_str(s),
            ClaimString::Whole(e) => write!(f, "{{{{{e}}}}}"),
            ClaimString::Interpolated(segs) => {
                for seg in segs {
                    match seg {
                        Segment::Text(t) => f.write_str(t)?,
                        Segment::Expr(e) => write!(f, "{{{{{e}}}}}")?,
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PathRoot;

    fn err(src: &str) -> ParseError {
        match parse_expr(src) {
            Ok(e) => panic!("`{src}` parsed as {e:?}"),
            Err(e) => e,
        }
    }

    fn claim_err(src: &str) -> ParseError {
        match parse_claim_string(src) {
            Ok(e) => panic!("`{src}` parsed as {e:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn single_shortcode_parses_to_catalogue_entry() {
        let e = parse_expr("user.id").ok();
        assert_eq!(
            e.map(|e| e.operands),
            Some(vec![Operand::Shortcode(&crate::CATALOGUE[0])])
        );
    }

    #[test]
    fn metadata_path_keeps_segments() {
        let e = parse_expr("user.public_metadata.profile.0.name").ok();
        assert_eq!(
            e.map(|e| e.operands),
            Some(vec![Operand::Path {
                root: PathRoot::UserPublicMetadata,
                path: vec!["profile".into(), "0".into(), "name".into()],
            }])
        );
    }

    #[test]
    fn path_root_alone_has_empty_path() {
        let e = parse_expr("session.actor").ok();
        assert_eq!(
            e.map(|e| e.operands),
            Some(vec![Operand::Path {
                root: PathRoot::SessionActor,
                path: vec![]
            }])
        );
    }

    #[test]
    fn chain_parses_literals_of_every_kind() {
        let e = parse_expr("user.public_metadata.x || 'a b' || 30 || 1.5 || true || false || null")
            .ok();
        let lits: Vec<_> = e
            .map(|e| e.operands.into_iter().skip(1).collect())
            .unwrap_or_default();
        assert_eq!(
            lits,
            vec![
                Operand::Literal(Literal::Str("a b".into())),
                Operand::Literal(Literal::Int(30)),
                Operand::Literal(Literal::Float(1.5)),
                Operand::Literal(Literal::Bool(true)),
                Operand::Literal(Literal::Bool(false)),
                Operand::Literal(Literal::Null),
            ]
        );
    }

    #[test]
    fn spaces_around_chain_operands_are_allowed() {
        let e = parse_expr(" user.full_name ||'x'   ").ok();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("user.full_name || 'x'".to_string())
        );
    }

    #[test]
    fn display_is_canonical_and_reparses() {
        for src in [
            "user.public_metadata.plan || 'free'",
            "user.id",
            "org.role || org_membership.public_metadata.role || null",
            "user.unsafe_metadata.n || 2.0",
        ] {
            let e = parse_expr(src).ok();
            assert_eq!(e.as_ref().map(|e| e.to_string()).as_deref(), Some(src));
            assert_eq!(
                e.and_then(|e| parse_expr(&e.to_string()).ok())
                    .map(|e| e.to_string())
                    .as_deref(),
                Some(src)
            );
        }
    }

    #[test]
    fn unknown_name_is_an_error_with_suggestion_and_offset() {
        let e = err("org_membership.role");
        assert_eq!((e.offset, e.suggestion), (0, Some("org.role")));
        assert!(
            e.message
                .contains("unknown shortcode `org_membership.role`"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("did you mean `org.role`?"),
            "{}",
            e.message
        );
        let e = err("user.id || user.frist_name");
        assert_eq!((e.offset, e.suggestion), (11, Some("user.first_name")));
    }

    #[test]
    fn unknown_name_without_neighbour_has_no_suggestion() {
        let e = err("zzz.qqq.www");
        assert_eq!(e.suggestion, None);
        assert!(
            e.message
                .contains("https://clerk.com/docs/backend-requests/jwt-templates")
                && !e.message.contains("CATALOGUE"),
            "{}",
            e.message
        );
    }

    #[test]
    fn unknown_field_of_a_user_or_org_points_at_its_public_metadata() {
        for (name, path) in [
            ("user.company", "user.public_metadata.company"),
            ("org.tier", "org.public_metadata.tier"),
        ] {
            let e = err(name);
            assert!(
                e.message.contains(&format!("did you mean `{path}`?")),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn lone_shortcode_with_spaces_is_an_error() {
        let e = err(" user.id ");
        assert_eq!(e.offset, 0);
        assert!(
            e.message
                .contains("spaces inside braces are not trimmed by Clerk: write `{{user.id}}`"),
            "{}",
            e.message
        );
        assert_eq!(err("user.id ").offset, 7);
    }

    #[test]
    fn literal_first_operand_is_an_error() {
        assert_eq!(err("'x' || user.id").offset, 0);
        assert!(err("30 || user.id").message.contains("first operand"));
    }

    #[test]
    fn double_quoted_literal_is_an_error() {
        let e = err("user.id || \"x\"");
        assert_eq!(e.offset, 11);
        assert!(e.message.contains("single quotes"));
    }

    #[test]
    fn unterminated_string_literal_is_an_error() {
        assert_eq!(err("user.id || 'x").offset, 11);
    }

    #[test]
    fn string_literal_containing_pipes_is_an_error() {
        let e = err("user.id || 'a||b'");
        assert_eq!(e.offset, 13);
        assert!(e.message.contains("splits"));
    }

    #[test]
    fn negative_number_is_an_error() {
        let e = err("user.public_metadata.n || -1");
        assert_eq!(e.offset, 26);
        assert!(e.message.contains("no negative numbers"));
    }

    #[test]
    fn malformed_numbers_are_errors() {
        for src in [
            "user.id || 1.2.3",
            "user.id || 1.",
            "user.id || 12ab",
            "user.id || 99999999999999999999",
        ] {
            assert_eq!(err(src).offset, 11, "{src}");
        }
    }

    #[test]
    fn dash_in_path_segment_is_an_error_at_the_dash() {
        let e = err("user.public_metadata.first-name");
        assert_eq!(e.offset, 26);
        assert!(e.message.contains("letters, digits and `_`"));
    }

    #[test]
    fn empty_segment_is_an_error() {
        assert_eq!(err("user..id").offset, 5);
        assert_eq!(err("user.public_metadata.").offset, 21);
    }

    #[test]
    fn missing_operand_after_pipes_is_an_error() {
        assert_eq!(err("user.id ||").offset, 10);
        assert_eq!(err("user.id || ").offset, 11);
    }

    #[test]
    fn single_pipe_or_junk_after_operand_is_an_error() {
        assert_eq!(err("user.id | 'x'").offset, 8);
        assert_eq!(err("user.id 'x'").offset, 8);
    }

    #[test]
    fn empty_expression_is_an_error() {
        assert_eq!(err("").offset, 0);
        assert_eq!(err("   ").offset, 3);
    }

    #[test]
    fn keywords_are_not_first_operands() {
        assert!(
            err("true || user.id")
                .message
                .contains("unknown shortcode `true`")
        );
    }

    #[test]
    fn static_string_has_no_braces() {
        assert_eq!(
            parse_claim_string("authenticated"),
            Ok(ClaimString::Static("authenticated".into()))
        );
        assert_eq!(
            parse_claim_string("a } b"),
            Ok(ClaimString::Static("a } b".into()))
        );
    }

    #[test]
    fn whole_value_is_one_expression() {
        let c = parse_claim_string("{{user.public_metadata.plan || 'free'}}");
        assert!(matches!(c, Ok(ClaimString::Whole(_))));
        let c = parse_claim_string("{{user.id || '}'}}");
        assert!(matches!(c, Ok(ClaimString::Whole(_))), "{c:?}");
    }

    #[test]
    fn interpolation_splits_text_and_expressions() {
        let c = parse_claim_string("{{user.last_name}} {{user.first_name}} ");
        let Ok(ClaimString::Interpolated(segs)) = c else {
            panic!("{c:?}")
        };
        assert_eq!(segs.len(), 4);
        assert_eq!(segs[1], Segment::Text(" ".into()));
        assert_eq!(segs[3], Segment::Text(" ".into()));
        assert_eq!(
            parse_claim_string("Hi {{user.first_name}}!")
                .map(|c| c.to_string())
                .ok()
                .as_deref(),
            Some("Hi {{user.first_name}}!")
        );
    }

    #[test]
    fn whole_value_with_spaces_is_an_error_pointing_inside() {
        let e = claim_err("{{ user.id }}");
        assert_eq!(e.offset, 2);
        assert!(e.message.contains("write `{{user.id}}`"));
    }

    #[test]
    fn unknown_shortcode_in_interpolation_points_into_the_string() {
        let e = claim_err("Hi {{user.frist_name}}");
        assert_eq!((e.offset, e.suggestion), (5, Some("user.first_name")));
    }

    #[test]
    fn unclosed_and_empty_braces_are_errors() {
        assert_eq!(claim_err("a {{user.id").offset, 2);
        assert_eq!(claim_err("{{}}").offset, 0);
        assert!(claim_err("x {{}} y").message.contains("empty braces"));
    }

    #[test]
    fn brace_inside_interpolated_literal_is_an_error() {
        // `{{[^}]+}}` stops at the first `}` in Clerk's interpolation scan.
        assert!(parse_claim_string("x {{user.id || '}'}}").is_err());
    }

    fn ex(src: &str) -> Expr {
        parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    #[test]
    fn json_type_of_single_shortcodes_follows_catalogue() {
        assert_eq!(ex("user.id").json_type(), JsonType::String);
        assert_eq!(ex("user.created_at").json_type(), JsonType::Number);
        assert_eq!(
            ex("org_membership.permissions").json_type(),
            JsonType::StringArray
        );
        assert_eq!(ex("user.public_metadata").json_type(), JsonType::Object);
        assert_eq!(ex("user.public_metadata.x").json_type(), JsonType::Any);
    }

    #[test]
    fn json_type_of_chain_is_common_type_of_reachable_operands() {
        assert_eq!(ex("user.first_name || 'x'").json_type(), JsonType::String);
        assert_eq!(ex("user.first_name || 1").json_type(), JsonType::Any);
        // user.id is never null and a string: nothing after it is reachable.
        assert_eq!(ex("user.id || 1").json_type(), JsonType::String);
        assert_eq!(
            ex("user.email_verified || user.phone_number_verified").json_type(),
            JsonType::Bool
        );
        assert_eq!(ex("user.first_name || null").json_type(), JsonType::String);
        assert_eq!(ex("user.email_verified || 'no'").json_type(), JsonType::Any);
    }

    #[test]
    fn alternatives_are_the_returnable_reachable_operands() {
        let texts = |src: &str| -> Vec<String> {
            ex(src).alternatives().map(ToString::to_string).collect()
        };
        assert_eq!(
            texts("user.public_metadata.plan || 'free'"),
            ["user.public_metadata.plan", "'free'"]
        );
        // A non-last `false`/`null` is skipped by Clerk; the last one is returned.
        assert_eq!(
            texts("user.first_name || false || null"),
            ["user.first_name", "null"]
        );
        // Nothing after an always-truthy operand is reachable.
        assert_eq!(texts("user.id || 1"), ["user.id"]);
    }

    #[test]
    fn can_be_null_follows_reachability() {
        assert!(!ex("user.id").can_be_null());
        assert!(ex("user.last_name").can_be_null());
        assert!(!ex("user.last_name || 'x'").can_be_null());
        assert!(ex("user.last_name || null").can_be_null());
        assert!(!ex("user.last_name || user.id").can_be_null());
        assert!(ex("user.public_metadata.x").can_be_null());
        assert!(!ex("user.public_metadata").can_be_null());
        assert!(ex("session.actor").can_be_null());
        assert!(!ex("user.email_verified").can_be_null());
        assert!(!ex("user.public_metadata.a || false").can_be_null());
        assert!(!ex("user.public_metadata.a || 0").can_be_null());
    }

    #[test]
    fn org_scoped_detects_org_operands() {
        assert!(ex("org.id").org_scoped());
        assert!(ex("user.id || org_membership.public_metadata.x").org_scoped());
        assert!(!ex("user.id || 'org.id'").org_scoped());
    }

    #[test]
    fn float_literal_display_keeps_a_dot() {
        assert_eq!(Literal::Float(2.0).to_string(), "2.0");
        assert_eq!(Literal::Float(0.25).to_string(), "0.25");
    }

    #[test]
    fn parse_error_display_names_offset() {
        assert!(err("user.nope").to_string().ends_with("(at byte 0)"));
    }
}
