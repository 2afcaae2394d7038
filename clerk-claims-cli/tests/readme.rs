//! The README cannot drift from the binary: every command it shows is checked, and every
//! ```` ```console ```` transcript is replayed against a spawned `clerk-claims dev`.
//!
//! - `clerk-claims …` and `cargo run -p clerk-claims-cli -- …` (in ```` ```sh ```` blocks and in
//!   inline code): each subcommand exists and `--help` of the last one lists every flag used
//!   (a command that runs until stopped, or reads placeholders like `$TOKEN`, is not run).
//! - `cargo run|bench|build …`: the package, the `--bin`/`--example`/`--bench` target and the
//!   `--features` exist, and the features cover the target's `required-features`
//!   (`cargo metadata`, nothing is built).
//! - `scripts/…`: the script exists and is executable.
//! - Transcripts: each `$ ` line is run with the environment `clerk-claims dev` prints, in
//!   `tests/fixtures/`, and its output (stdout then stderr, no colour) is compared line by line
//!   with the lines under it. The dev's address is written as `127.0.0.1:3210`; key ids, `jti`s
//!   and other random ids, and epoch times are masked on both sides.
//!
//! `README_BLESS=1 cargo test -p clerk-claims-cli --test cli readme` rewrites the transcripts
//! from the binary's output.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::{BIN, Dev, fixture, text};

/// The address the README's transcripts show for `clerk-claims dev`.
const README_ADDR: &str = "127.0.0.1:3210";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md")
}

/// A fenced block: its info string, the line of its first content line (0-based), its lines.
struct Block {
    info: String,
    first: usize,
    lines: Vec<String>,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in markdown.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    info: info.trim().to_owned(),
                    first: n + 1,
                    lines: Vec::new(),
                });
            }
            (Some(_), Some("")) => out.extend(open.take()),
            (Some(block), _) => block.lines.push(line.to_owned()),
            (None, None) => {}
        }
    }
    out
}

/// The prose's inline code spans (outside fenced blocks), possibly across a line break.
fn inline_spans(markdown: &str) -> Vec<String> {
    let mut prose = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    prose
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|span| span.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// A command line split as a shell would for the simple quoting the README uses: words,
/// `"…"` and `'…'`; a `#` word starts a comment.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, '#') if !started => break,
            (None, c) if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

/// The `clerk-claims` arguments of a command line, when it runs the command.
fn clerk_claims_args(words: &[String]) -> Option<Vec<String>> {
    let start = words.iter().position(|w| !w.contains('='))?;
    let words = &words[start..];
    match words.first().map(String::as_str) {
        Some("clerk-claims") => Some(words[1..].to_vec()),
        Some("cargo")
            if words
                .windows(2)
                .any(|w| w[0] == "-p" && w[1] == "clerk-claims-cli") =>
        {
            let dashes = words.iter().position(|w| w == "--")?;
            Some(words[dashes + 1..].to_vec())
        }
        _ => None,
    }
}

/// `clerk-claims ARGS --help`: its text (exit 0 required).
fn help(path: &[String]) -> String {
    let out = Command::new(BIN)
        .args(path)
        .arg("--help")
        .env("NO_COLOR", "1")
        .output()
        .expect("clerk-claims runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "clerk-claims {} --help: {}",
        path.join(" "),
        text(&out)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The subcommand names a help text lists under `Commands:`.
fn subcommands(help: &str) -> BTreeSet<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// Checks `clerk-claims ARGS` against the binary's help: each subcommand exists, and the last
/// one's `--help` lists every `--flag` of the line. `--help` is how a command that runs until
/// stopped (`dev`) or reads placeholders is run.
fn check_clerk_claims(args: &[String], shown: &str) {
    let mut path: Vec<String> = Vec::new();
    let mut text = help(&path);
    for arg in args.iter().take_while(|a| !a.starts_with('-')) {
        if !subcommands(&text).contains(arg) {
            break;
        }
        path.push(arg.clone());
        text = help(&path);
    }
    assert!(
        !path.is_empty() || args.is_empty(),
        "`{shown}`: `{}` is not a subcommand of clerk-claims",
        args[0]
    );
    for arg in args {
        let Some(flag) = arg.trim_start_matches('[').strip_prefix("--") else {
            continue;
        };
        let flag = flag.split(['=', ']']).next().unwrap_or_default();
        assert!(
            text.contains(&format!("--{flag} ")) || text.contains(&format!("--{flag}\n")),
            "`{shown}`: `clerk-claims {} --help` has no --{flag}",
            path.join(" ")
        );
    }
}

/// The workspace's packages (`cargo metadata --no-deps`): name → package object.
fn packages() -> &'static Vec<Value> {
    static PACKAGES: OnceLock<Vec<Value>> = OnceLock::new();
    PACKAGES.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let out = Command::new(cargo)
            .args([
                "metadata",
                "--no-deps",
                "--format-version",
                "1",
                "--offline",
            ])
            .current_dir(root())
            .output()
            .expect("cargo metadata runs");
        assert!(out.status.success(), "cargo metadata: {}", text(&out));
        let metadata: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata JSON");
        metadata["packages"].as_array().cloned().unwrap_or_default()
    })
}

/// Checks a `cargo run|bench|build|test` line: the package, the named target and the features
/// exist, and the features given cover the target's `required-features`. Nothing is built.
fn check_cargo(words: &[String], shown: &str) {
    let value = |flag: &str| {
        words
            .windows(2)
            .find(|w| w[0] == flag)
            .map(|w| w[1].clone())
    };
    let Some(name) = value("-p") else {
        // The whole workspace (`cargo doc`, `cargo test --workspace`): a cargo subcommand.
        let known = [
            "build", "check", "clippy", "doc", "fmt", "test", "bench", "run",
        ];
        assert!(
            words.get(1).is_some_and(|c| known.contains(&c.as_str())),
            "`{shown}`: not a cargo command of this workspace"
        );
        return;
    };
    let package = packages()
        .iter()
        .find(|p| p["name"] == name.as_str())
        .unwrap_or_else(|| panic!("`{shown}`: no package {name} in the workspace"));
    let all = words.iter().any(|w| w == "--all-features");
    let features: BTreeSet<String> = value("--features")
        .map(|f| f.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    for feature in &features {
        assert!(
            package["features"].get(feature).is_some(),
            "`{shown}`: {name} has no feature {feature}"
        );
    }
    let (flag, kind) = match words.get(1).map(String::as_str) {
        Some("bench") => ("--bench", "bench"),
        Some("run") if value("--example").is_some() => ("--example", "example"),
        _ => ("--bin", "bin"),
    };
    let Some(target) = value(flag) else {
        let has = package["targets"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t["kind"][0] == kind));
        assert!(has, "`{shown}`: {name} has no {kind} target");
        return;
    };
    if target.chars().all(|c| c.is_ascii_uppercase()) {
        return; // a placeholder (`--bin NAME`), named in the text around it
    }
    let found = package["targets"]
        .as_array()
        .and_then(|t| {
            t.iter()
                .find(|t| t["name"] == target.as_str() && t["kind"][0] == kind)
        })
        .unwrap_or_else(|| panic!("`{shown}`: {name} has no {kind} {target}"));
    if all {
        return;
    }
    let defaults: BTreeSet<String> = match words.iter().any(|w| w == "--no-default-features") {
        true => BTreeSet::new(),
        false => package["features"]["default"]
            .as_array()
            .map(|d| {
                d.iter()
                    .filter_map(|f| f.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    };
    for required in found["required-features"].as_array().into_iter().flatten() {
        let required = required.as_str().unwrap_or_default();
        assert!(
            features.contains(required) || defaults.contains(required),
            "`{shown}`: {kind} {target} requires the feature {required}: add --features"
        );
    }
}

/// Checks `scripts/NAME`: it exists and is executable.
fn check_script(path: &str, shown: &str) {
    let file = root().join(path.trim_start_matches("./"));
    let meta = std::fs::metadata(&file).unwrap_or_else(|e| panic!("`{shown}`: {path}: {e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert!(
            meta.permissions().mode() & 0o111 != 0,
            "`{shown}`: {path} is not executable"
        );
    }
    #[cfg(not(unix))]
    drop(meta);
}

/// Checks one command line the README shows; `false` when it is not a command.
fn check_command(line: &str) -> bool {
    let words = words(line);
    if let Some(args) = clerk_claims_args(&words) {
        check_clerk_claims(&args, line);
        return true;
    }
    match words.first().map(String::as_str) {
        Some("cargo") => {
            check_cargo(&words, line);
            true
        }
        Some(script) if script.starts_with("scripts/") || script.starts_with("./scripts/") => {
            check_script(script, line);
            true
        }
        _ => false,
    }
}

#[test]
fn every_command_the_readme_shows_exists_with_its_flags_targets_and_features() {
    let markdown = readme();
    let mut checked = 0;
    for block in blocks(&markdown) {
        let lines: Vec<String> = match block.info.as_str() {
            "sh" | "bash" | "shell" => block.lines.clone(),
            "console" => block
                .lines
                .iter()
                .filter_map(|l| l.strip_prefix("$ ").map(str::to_owned))
                .collect(),
            _ => continue,
        };
        for line in lines {
            assert!(
                check_command(&line),
                "README line {}: `{line}` is not a command this test knows how to check",
                block.first
            );
            checked += 1;
        }
    }
    for span in inline_spans(&markdown) {
        let command = span.starts_with("clerk-claims ")
            || span.starts_with("cargo ")
            || span.starts_with("scripts/")
            || span.starts_with("./scripts/");
        if command && check_command(&span) {
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} commands found in the README");
}

/// One `$ command` of a transcript and the lines printed under it.
struct Step {
    command: String,
    /// The README line of the first output line (0-based).
    first: usize,
    expected: Vec<String>,
}

fn steps(block: &Block) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    for (i, line) in block.lines.iter().enumerate() {
        match (line.strip_prefix("$ "), out.last_mut()) {
            (Some(command), _) => out.push(Step {
                command: command.to_owned(),
                first: block.first + i + 1,
                expected: Vec::new(),
            }),
            (None, Some(step)) => step.expected.push(line.clone()),
            (None, None) => panic!(
                "README line {}: a transcript starts with `$ command`",
                block.first + i
            ),
        }
    }
    for step in &mut out {
        while step.expected.last().is_some_and(|l| l.trim().is_empty()) {
            step.expected.pop();
        }
    }
    out
}

/// Runs one transcript command against `dev` in `tests/fixtures/`: its output as the README
/// shows it (the dev's address written as [`README_ADDR`], no colour, no trailing spaces).
fn replay(dev: &Dev, command: &str) -> Vec<String> {
    let words = words(command);
    let args = clerk_claims_args(&words)
        .unwrap_or_else(|| panic!("`{command}`: a transcript runs clerk-claims"));
    let mut process = Command::new(BIN);
    process
        .args(&args)
        .current_dir(Path::new(&fixture("")))
        .env("CLERK_API_URL", &dev.url)
        .env("CLERK_SECRET_KEY", &dev.key)
        .env("CLERK_PUBLISHABLE_KEY", &dev.publishable_key)
        .env_remove("CLERK_JWT_KEY")
        .env("NO_COLOR", "1");
    for assignment in words.iter().take_while(|w| w.contains('=')) {
        if let Some((name, value)) = assignment.split_once('=') {
            process.env(name, value);
        }
    }
    let out = process.output().expect("clerk-claims runs");
    let addr = dev.url.trim_start_matches("http://");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<String> = printed
        .replace(addr, README_ADDR)
        .lines()
        .map(|l| l.trim_end().to_owned())
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// `word` masked when it is random or a time: a key id (`ins_…`), an epoch time (ten digits),
/// or a random id (sixteen or more letters and digits without `_`, of at least two of upper
/// case, lower case and digits, like a `jti`; the seed's ids have a `_`).
fn mask_word(word: &str) -> &str {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let classes = [
        digits > 0,
        word.chars().any(|c| c.is_ascii_uppercase()),
        word.chars().any(|c| c.is_ascii_lowercase()),
    ];
    if word.starts_with("ins_") {
        "<kid>"
    } else if digits == 10 && word.len() == 10 {
        "<time>"
    } else if word.len() >= 16 && !word.contains('_') && classes.iter().filter(|c| **c).count() >= 2
    {
        "<random>"
    } else {
        word
    }
}

/// A line with its random parts and times masked (see [`mask_word`]).
fn mask(line: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in line.chars().chain(std::iter::once('\n')) {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            out.push_str(mask_word(&word));
            word.clear();
            out.push(c);
        }
    }
    out.pop();
    out
}

#[test]
fn every_console_transcript_of_the_readme_replays_against_clerk_claims_dev() {
    let markdown = readme();
    let bless = std::env::var_os("README_BLESS").is_some();
    let mut lines: Vec<String> = markdown.lines().map(str::to_owned).collect();
    let mut replayed = 0;
    let mut mismatches = Vec::new();
    // Replacements of README lines (first, count, new lines), applied bottom-up when blessing.
    let mut blessed: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for block in blocks(&markdown).iter().filter(|b| b.info == "console") {
        let dev = Dev::start();
        for step in steps(block) {
            let actual = replay(&dev, &step.command);
            replayed += 1;
            let expected: Vec<String> = step.expected.iter().map(|l| mask(l.trim_end())).collect();
            let masked: Vec<String> = actual.iter().map(|l| mask(l)).collect();
            if expected != masked {
                let n = expected.len().max(masked.len());
                let first = (0..n)
                    .find(|&i| expected.get(i) != masked.get(i))
                    .unwrap_or(0);
                mismatches.push(format!(
                    "README line {}: `$ {}`\n  README: {:?}\n  binary: {:?}",
                    step.first + first + 1,
                    step.command,
                    step.expected.get(first),
                    actual.get(first)
                ));
                // Lines equal up to the masks keep the README's values: a small diff.
                let new = actual
                    .iter()
                    .zip(&masked)
                    .enumerate()
                    .map(
                        |(i, (line, masked))| match expected.get(i) == Some(masked) {
                            true => step.expected[i].trim_end().to_owned(),
                            false => line.clone(),
                        },
                    )
                    .collect();
                blessed.push((step.first, step.expected.len(), new));
            }
        }
    }
    if bless && !blessed.is_empty() {
        for (first, count, new) in blessed.into_iter().rev() {
            lines.splice(first..first + count, new);
        }
        let mut text = lines.join("\n");
        text.push('\n');
        std::fs::write(root().join("README.md"), text).expect("README.md written");
        return;
    }
    assert!(
        replayed >= 4,
        "only {replayed} transcript commands in the README"
    );
    assert!(
        mismatches.is_empty(),
        "the README's transcripts differ from the binary (README_BLESS=1 rewrites them):\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn masking_hides_key_ids_jtis_and_times_only() {
    assert_eq!(
        mask(
            "kid ins_test_LYku4aXxjczqUvaWAleH2le5vNC, jti vEfHCFeLA5TDmnjgxfN2 → 7ss0pGetbmHtcYmU23Yi (exp 1796172403)"
        ),
        "kid <kid>, jti <random> → <random> (exp <time>)"
    );
    assert_eq!(mask("jti abcdefghijklmnopqrst"), "jti abcdefghijklmnopqrst");
    assert_eq!(mask("jti abcdefghijklmnopqrs1"), "jti <random>");
    assert_eq!(
        mask("sess_2alice_acme user_2alice 203.0.113.10 jtmpl_2fake000001 5 min ago"),
        "sess_2alice_acme user_2alice 203.0.113.10 jtmpl_2fake000001 5 min ago"
    );
}

#[test]
fn commands_are_split_as_the_shell_splits_them() {
    assert_eq!(
        words(r#"A=b clerk-claims token inspect "$TOKEN" --has role=org:admin # note"#),
        [
            "A=b",
            "clerk-claims",
            "token",
            "inspect",
            "$TOKEN",
            "--has",
            "role=org:admin"
        ]
    );
    assert_eq!(
        clerk_claims_args(&words("cargo run -p clerk-claims-cli -- dev  # local")),
        Some(vec!["dev".to_owned()])
    );
}
