//! Exports the `api` template of `build-export-claims` to `templates/api.json` and its roles
//! manifest to `templates/roles.json` on every build, so the files committed next to the code
//! (pushed with `clerk-claims template push` and `clerk-claims roles push`) never drift. With
//! `CLERK_CLAIMS_CHECK=1` (CI), the build fails instead when a committed file is stale.

use build_export_claims::{ApiClaims, Role};
use clerk_claims::build::{check_manifest, check_template, write_manifest, write_template};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let (template, roles) = (dir.join("api.json"), dir.join("roles.json"));
    println!("cargo::rerun-if-changed={}", template.display());
    println!("cargo::rerun-if-changed={}", roles.display());
    println!("cargo::rerun-if-env-changed=CLERK_CLAIMS_CHECK");
    let results = if std::env::var_os("CLERK_CLAIMS_CHECK").is_some() {
        [
            check_template::<ApiClaims>(&template),
            check_manifest::<Role>(&roles),
        ]
    } else {
        [
            write_template::<ApiClaims>(&template),
            write_manifest::<Role>(&roles),
        ]
    };
    let mut failed = false;
    for err in results.into_iter().filter_map(Result::err) {
        eprintln!("{err}");
        failed = true;
    }
    if failed {
        std::process::exit(1);
    }
}
