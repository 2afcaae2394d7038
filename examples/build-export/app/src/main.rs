//! Example app: prints the template its build script exported.
#![forbid(unsafe_code)]

fn main() {
    print!("{}", include_str!("../templates/api.json"));
}
