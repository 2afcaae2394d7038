//! Example app: prints the template and the roles manifest its build script exported.
#![forbid(unsafe_code)]

fn main() {
    print!("{}", include_str!("../templates/api.json"));
    print!("{}", include_str!("../templates/roles.json"));
}
