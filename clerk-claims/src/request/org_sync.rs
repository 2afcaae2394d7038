//! Organization sync (Clerk's `organizationSyncOptions`): which organization, or the personal
//! account, a request path asks for.
//!
//! Patterns are read as Clerk reads them, with `match()` of path-to-regexp 6 (the copy in
//! `@clerk/shared`) and its defaults: case-insensitive, an optional trailing `/`, anchored at
//! both ends, no percent-decoding of parameters. A list of patterns is one alternation; a
//! parameter named `id` wins over one named `slug`. The specification is Clerk's own matcher
//! tests, ported as data (`tests/tests/data/request/organization_matcher.json`).

use std::collections::HashMap;

/// The most backtracking steps one match may take (patterns whose custom groups or
/// lookaheads need a backtracking engine); beyond it the path matches nothing.
const BACKTRACK_LIMIT: usize = 100_000;

/// Characters that end a segment (`delimiter`) and may open a parameter (`prefixes`).
const DELIMITER: &str = "/#?";
const PREFIXES: &str = "./";

/// What a request path asks to activate (Clerk's `OrganizationSyncTarget`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SyncTarget {
    /// An organization by ID (`:id`).
    OrganizationId(Param),
    /// An organization by slug (`:slug`).
    OrganizationSlug(Param),
    /// The personal account.
    PersonalAccount,
}

/// A parameter's value as Clerk holds it: text, or (a repeated parameter, `:id+`) a list,
/// which JavaScript prints joined by `,` and never finds equal to a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Param {
    pub text: String,
    pub repeated: bool,
}

impl Param {
    /// Whether the token's claim names the same organization (`!==` in Clerk).
    pub fn same_as(&self, claim: Option<&str>) -> bool {
        !self.repeated && claim == Some(self.text.as_str())
    }
}

impl SyncTarget {
    /// The value of `organization_id` in the handshake URL (empty for the personal account).
    pub fn query_value(&self) -> &str {
        match self {
            Self::OrganizationId(p) | Self::OrganizationSlug(p) => &p.text,
            Self::PersonalAccount => "",
        }
    }
}

/// Why path-to-regexp refuses a pattern (its `TypeError`), or why the pattern's regular
/// expression does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternError(pub String);

/// The organization and personal account patterns, compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrgMatcher {
    organization: Option<Compiled>,
    personal: Option<Compiled>,
}

impl OrgMatcher {
    /// Compiles both lists (`None`: the option is absent). The error names the pattern and
    /// its list.
    pub fn new(
        organization: Option<&[String]>,
        personal: Option<&[String]>,
    ) -> Result<Self, (String, PatternError, &'static str)> {
        Ok(Self {
            organization: organization
                .map(Compiled::new)
                .transpose()
                .map_err(|(p, e)| (p, e, "organization"))?,
            personal: personal
                .map(Compiled::new)
                .transpose()
                .map_err(|(p, e)| (p, e, "personal account"))?,
        })
    }

    /// Clerk's `findTarget`: an organization pattern with `:id` or `:slug`, else a personal
    /// account pattern.
    pub fn find_target(&self, path: &str) -> Option<SyncTarget> {
        if let Some(params) = self.organization.as_ref().and_then(|c| c.exec(path)) {
            let truthy = |name: &str| params.get(name).filter(|p| !p.text.is_empty()).cloned();
            if let Some(id) = truthy("id") {
                return Some(SyncTarget::OrganizationId(id));
            }
            if let Some(slug) = truthy("slug") {
                return Some(SyncTarget::OrganizationSlug(slug));
            }
        }
        self.personal
            .as_ref()
            .and_then(|c| c.exec(path))
            .map(|_| SyncTarget::PersonalAccount)
    }
}

/// One list of patterns as one regular expression and its keys.
#[derive(Debug, Clone)]
struct Compiled {
    regex: fancy_regex::Regex,
    keys: Vec<Key>,
}

impl Compiled {
    fn new(patterns: &[String]) -> Result<Self, (String, PatternError)> {
        let mut keys = Vec::new();
        let mut sources = Vec::with_capacity(patterns.len());
        for pattern in patterns {
            let tokens = parse(pattern).map_err(|e| (pattern.clone(), e))?;
            let source = tokens_to_regexp(&tokens, &mut keys).map_err(|e| (pattern.clone(), e))?;
            // Each pattern alone must compile, so that the error names it.
            build(&source).map_err(|e| (pattern.clone(), e))?;
            sources.push(source);
        }
        let regex =
            build(&format!("(?:{})", sources.join("|"))).map_err(|e| (patterns.join(","), e))?;
        Ok(Self { regex, keys })
    }

    /// path-to-regexp's `match()`: the parameters of a match, `None` when none (or when the
    /// match would take more than [`BACKTRACK_LIMIT`] steps).
    fn exec(&self, path: &str) -> Option<HashMap<String, Param>> {
        let captures = self.regex.captures(path).ok()??;
        let mut params = HashMap::new();
        for (i, key) in self.keys.iter().enumerate() {
            let Some(value) = captures.get(i + 1) else {
                continue;
            };
            let repeated = matches!(key.modifier.as_str(), "*" | "+");
            let text = if repeated {
                let separator = format!("{}{}", key.prefix, key.suffix);
                if separator.is_empty() {
                    value.as_str().to_owned()
                } else {
                    value
                        .as_str()
                        .split(separator.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                }
            } else {
                value.as_str().to_owned()
            };
            params.insert(key.name.clone(), Param { text, repeated });
        }
        Some(params)
    }
}

fn build(source: &str) -> Result<fancy_regex::Regex, PatternError> {
    fancy_regex::RegexBuilder::new(&format!("(?i){source}"))
        .backtrack_limit(BACKTRACK_LIMIT)
        .build()
        .map_err(|e| PatternError(format!("invalid regular expression /{source}/: {e}")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    Modifier,
    EscapedChar,
    Open,
    Close,
    Name,
    Pattern,
    Char,
    End,
}

impl Lex {
    fn as_str(self) -> &'static str {
        match self {
            Self::Modifier => "MODIFIER",
            Self::EscapedChar => "ESCAPED_CHAR",
            Self::Open => "OPEN",
            Self::Close => "CLOSE",
            Self::Name => "NAME",
            Self::Pattern => "PATTERN",
            Self::Char => "CHAR",
            Self::End => "END",
        }
    }
}

/// path-to-regexp 6's `lexer` (positions in characters).
fn lex(text: &str) -> Result<Vec<(Lex, usize, String)>, PatternError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let err = |m: String| Err(PatternError(m));
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' | '+' | '?' => {
                tokens.push((Lex::Modifier, i, c.to_string()));
                i += 1;
            }
            '\\' => {
                // A trailing backslash escapes nothing: path-to-regexp drops it.
                let next = chars.get(i + 1).map(char::to_string).unwrap_or_default();
                tokens.push((Lex::EscapedChar, i, next));
                i += 2;
            }
            '{' => {
                tokens.push((Lex::Open, i, c.to_string()));
                i += 1;
            }
            '}' => {
                tokens.push((Lex::Close, i, c.to_string()));
                i += 1;
            }
            ':' => {
                let mut j = i + 1;
                let mut name = String::new();
                while let Some(&n) = chars.get(j) {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        j += 1;
                    } else {
                        break;
                    }
                }
                if name.is_empty() {
                    return err(format!("Missing parameter name at {i}"));
                }
                tokens.push((Lex::Name, i, name));
                i = j;
            }
            '(' => {
                let mut count = 1;
                let mut pattern = String::new();
                let mut j = i + 1;
                if chars.get(j) == Some(&'?') {
                    return err(format!("Pattern cannot start with \"?\" at {j}"));
                }
                while j < chars.len() {
                    if chars[j] == '\\' {
                        pattern.push(chars[j]);
                        if let Some(&n) = chars.get(j + 1) {
                            pattern.push(n);
                        }
                        j += 2;
                        continue;
                    }
                    if chars[j] == ')' {
                        count -= 1;
                        if count == 0 {
                            j += 1;
                            break;
                        }
                    } else if chars[j] == '(' {
                        count += 1;
                        if chars.get(j + 1) != Some(&'?') {
                            return err(format!("Capturing groups are not allowed at {j}"));
                        }
                    }
                    pattern.push(chars[j]);
                    j += 1;
                }
                if count != 0 {
                    return err(format!("Unbalanced pattern at {i}"));
                }
                if pattern.is_empty() {
                    return err(format!("Missing pattern at {i}"));
                }
                tokens.push((Lex::Pattern, i, pattern));
                i = j;
            }
            _ => {
                tokens.push((Lex::Char, i, c.to_string()));
                i += 1;
            }
        }
    }
    tokens.push((Lex::End, i, String::new()));
    Ok(tokens)
}

/// A parameter (path-to-regexp's `Key`).
#[derive(Debug, Clone)]
struct Key {
    name: String,
    prefix: String,
    suffix: String,
    pattern: String,
    modifier: String,
}

#[derive(Debug, Clone)]
enum Token {
    Text(String),
    Key(Key),
}

/// path-to-regexp 6's `parse` with its defaults (`prefixes` `./`, `delimiter` `/#?`).
fn parse(text: &str) -> Result<Vec<Token>, PatternError> {
    let tokens = lex(text)?;
    let mut result: Vec<Token> = Vec::new();
    let mut key_index = 0usize;
    let mut i = 0usize;
    let mut path = String::new();

    let try_consume = |i: &mut usize, kind: Lex| -> Option<String> {
        if *i < tokens.len() && tokens[*i].0 == kind {
            *i += 1;
            Some(tokens[*i - 1].2.clone())
        } else {
            None
        }
    };
    let must_consume = |i: &mut usize, kind: Lex| -> Result<String, PatternError> {
        if let Some(v) = try_consume(i, kind) {
            return Ok(v);
        }
        let (found, index) = tokens
            .get(*i)
            .map_or(("END", text.chars().count()), |t| (t.0.as_str(), t.1));
        Err(PatternError(format!(
            "Unexpected {found} at {index}, expected {}",
            kind.as_str()
        )))
    };
    let consume_text = |i: &mut usize| -> String {
        let mut out = String::new();
        while let Some(v) = try_consume(i, Lex::Char).or_else(|| try_consume(i, Lex::EscapedChar)) {
            out.push_str(&v);
        }
        out
    };
    let is_safe = |value: &str| DELIMITER.chars().any(|d| value.contains(d));
    let safe_pattern = |result: &[Token], prefix: &str| -> Result<String, PatternError> {
        let prev = result.last();
        let prev_text = match prev {
            Some(Token::Text(t)) => t.as_str(),
            _ => "",
        };
        let chosen = if prefix.is_empty() { prev_text } else { prefix };
        if let (Some(Token::Key(k)), "") = (prev, chosen) {
            return Err(PatternError(format!(
                "Must have text between two parameters, missing text after \"{}\"",
                k.name
            )));
        }
        Ok(if chosen.is_empty() || is_safe(chosen) {
            format!("[^{}]+?", escape(DELIMITER))
        } else {
            format!("(?:(?!{})[^{}])+?", escape(chosen), escape(DELIMITER))
        })
    };

    while i < tokens.len() {
        let ch = try_consume(&mut i, Lex::Char);
        let name = try_consume(&mut i, Lex::Name);
        let pattern = try_consume(&mut i, Lex::Pattern);
        if name.is_some() || pattern.is_some() {
            let mut prefix = ch.unwrap_or_default();
            if !PREFIXES.contains(prefix.as_str()) {
                path.push_str(&prefix);
                prefix.clear();
            }
            if !path.is_empty() {
                result.push(Token::Text(std::mem::take(&mut path)));
            }
            let key_name = match name {
                Some(n) => n,
                None => {
                    key_index += 1;
                    (key_index - 1).to_string()
                }
            };
            let pattern = match pattern {
                Some(p) => p,
                None => safe_pattern(&result, &prefix)?,
            };
            let modifier = try_consume(&mut i, Lex::Modifier).unwrap_or_default();
            result.push(Token::Key(Key {
                name: key_name,
                prefix,
                suffix: String::new(),
                pattern,
                modifier,
            }));
            continue;
        }
        if let Some(value) = ch.or_else(|| try_consume(&mut i, Lex::EscapedChar)) {
            path.push_str(&value);
            continue;
        }
        if !path.is_empty() {
            result.push(Token::Text(std::mem::take(&mut path)));
        }
        if try_consume(&mut i, Lex::Open).is_some() {
            let prefix = consume_text(&mut i);
            let name = try_consume(&mut i, Lex::Name).unwrap_or_default();
            let pattern = try_consume(&mut i, Lex::Pattern).unwrap_or_default();
            let suffix = consume_text(&mut i);
            must_consume(&mut i, Lex::Close)?;
            let key_name = if !name.is_empty() {
                name.clone()
            } else if !pattern.is_empty() {
                key_index += 1;
                (key_index - 1).to_string()
            } else {
                String::new()
            };
            let pattern = if !name.is_empty() && pattern.is_empty() {
                safe_pattern(&result, &prefix)?
            } else {
                pattern
            };
            let modifier = try_consume(&mut i, Lex::Modifier).unwrap_or_default();
            result.push(Token::Key(Key {
                name: key_name,
                prefix,
                suffix,
                pattern,
                modifier,
            }));
            continue;
        }
        must_consume(&mut i, Lex::End)?;
    }
    Ok(result)
}

/// path-to-regexp's `escapeString`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if ".+*?=^!:${}()[]|/\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// path-to-regexp 6's `tokensToRegexp` with `match()`'s defaults (`strict` false, `start` and
/// `end` true); the keys with a pattern are pushed to `keys`, in order.
fn tokens_to_regexp(tokens: &[Token], keys: &mut Vec<Key>) -> Result<String, PatternError> {
    let delimiter = format!("[{}]", escape(DELIMITER));
    let mut route = String::from("^");
    for token in tokens {
        match token {
            Token::Text(t) => route.push_str(&escape(t)),
            Token::Key(key) => {
                let prefix = escape(&key.prefix);
                let suffix = escape(&key.suffix);
                if key.pattern.is_empty() {
                    route.push_str(&format!("(?:{prefix}{suffix}){}", key.modifier));
                    continue;
                }
                keys.push(key.clone());
                let p = &key.pattern;
                if !prefix.is_empty() || !suffix.is_empty() {
                    if key.modifier == "+" || key.modifier == "*" {
                        let optional = if key.modifier == "*" { "?" } else { "" };
                        route.push_str(&format!(
                            "(?:{prefix}((?:{p})(?:{suffix}{prefix}(?:{p}))*){suffix}){optional}"
                        ));
                    } else {
                        route.push_str(&format!("(?:{prefix}({p}){suffix}){}", key.modifier));
                    }
                } else {
                    if key.modifier == "+" || key.modifier == "*" {
                        return Err(PatternError(format!(
                            "Can not repeat \"{}\" without a prefix and suffix",
                            key.name
                        )));
                    }
                    route.push_str(&format!("({p}){}", key.modifier));
                }
            }
        }
    }
    route.push_str(&format!("{delimiter}?$"));
    Ok(route)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(org: &[&str], personal: &[&str], path: &str) -> Option<SyncTarget> {
        let org: Vec<String> = org.iter().map(|s| s.to_string()).collect();
        let personal: Vec<String> = personal.iter().map(|s| s.to_string()).collect();
        OrgMatcher::new(Some(&org), Some(&personal))
            .ok()?
            .find_target(path)
    }

    #[test]
    fn id_wins_over_slug_and_repeated_parameters_join_with_commas() {
        let id = |t: &str| {
            Some(SyncTarget::OrganizationId(Param {
                text: t.to_owned(),
                repeated: false,
            }))
        };
        assert_eq!(target(&["/o/:slug/:id"], &[], "/o/a/b"), id("b"));
        assert_eq!(
            target(&["/o/:id+"], &[], "/o/a/b"),
            Some(SyncTarget::OrganizationId(Param {
                text: "a,b".to_owned(),
                repeated: true
            }))
        );
    }

    #[test]
    fn path_to_regexp_messages_are_kept() {
        let refused = |p: &str| {
            OrgMatcher::new(Some(&[p.to_owned()]), None)
                .err()
                .map(|(_, e, _)| e.0)
        };
        assert_eq!(
            refused("/orgs/:id/***").as_deref(),
            Some("Unexpected MODIFIER at 10, expected END")
        );
        assert_eq!(
            refused("/a/:").as_deref(),
            Some("Missing parameter name at 3")
        );
        assert_eq!(
            refused("/a/(b(c))").as_deref(),
            Some("Capturing groups are not allowed at 5")
        );
    }

    #[test]
    fn long_paths_and_backtracking_patterns_end_without_a_panic() {
        // The lookahead of `:slug-:id` needs the backtracking engine for the whole alternation,
        // where `(?:a+)+b` would take exponential steps: the step limit ends it (no match).
        let patterns = ["/x/:slug-:id".to_owned(), "/y/:slug((?:a+)+b)".to_owned()];
        let matcher = OrgMatcher::new(Some(&patterns), None).expect("path-to-regexp accepts both");
        let hostile = format!("/y/{}c", "a".repeat(64));
        assert_eq!(matcher.find_target(&hostile), None);
        let long = format!("/x/{}b", "a-".repeat(50_000));
        assert!(matches!(
            matcher.find_target(&long),
            Some(SyncTarget::OrganizationId(_)) | None
        ));
        assert_eq!(
            matcher.find_target("/x/acme-org_1"),
            Some(SyncTarget::OrganizationId(Param {
                text: "org_1".to_owned(),
                repeated: false
            }))
        );
    }
}
