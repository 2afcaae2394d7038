//! Exports the `api` template of `build-export-claims` to `templates/api.json` on every build,
//! so the file committed next to the code (and pasted into the dashboard, or pushed with
//! `clerk-claims template push`) never drifts. With `CLERK_CLAIMS_CHECK=1` (CI), the build
//! fails instead when the committed file is stale.

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/api.json");
    println!("cargo::rerun-if-changed={}", path.display());
    println!("cargo::rerun-if-env-changed=CLERK_CLAIMS_CHECK");
    let result = if std::env::var_os("CLERK_CLAIMS_CHECK").is_some() {
        clerk_claims::build::check_template::<build_export_claims::ApiClaims>(&path)
    } else {
        clerk_claims::build::write_template::<build_export_claims::ApiClaims>(&path)
    };
    if let Err(err) = result {
        eprintln!("{err}");
        std::process::exit(1);
    }
}
