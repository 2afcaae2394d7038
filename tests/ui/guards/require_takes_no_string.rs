// A role written as a string does not compile as a route guard: a typo could never match.
use clerk_claims::guard::require;

fn main() {
    let _admin_only = require("org:admin");
}
