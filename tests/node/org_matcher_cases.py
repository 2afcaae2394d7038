# Writes tests/tests/data/request/organization_matcher.json: the cases (Clerk's organizationMatcher.test.ts,
# the getOrganizationSyncTarget table of request.test.ts, and ours), their targets answered by
# Clerk's own matcher (org_matcher.mjs). Run from tests/node after `npm ci`.
import json, subprocess
C = []
def case(title, org=None, personal=None, paths=(), source=None):
    c = {"title": title}
    if source: c["clerk_test"] = source
    if org is not None: c["organization_patterns"] = org
    if personal is not None: c["personal_account_patterns"] = personal
    c["paths"] = list(paths)
    C.append(c)
S = "organizationMatcher.test.ts"
case("should return null for no patterns", paths=["/orgs/123"], source=S)
case("should create matcher with organization patterns", org=["/orgs/:id"], paths=["/orgs/123"], source=S)
case("should create matcher with personal account patterns", personal=["/account"], paths=["/account"], source=S)
case("should throw error for invalid organization pattern", org=["/orgs/:id/***"], source=S)
case("should throw error for invalid personal account pattern", personal=["/account/***"], source=S)
case("should find organization by ID", org=["/orgs/:id"], paths=["/orgs/123"], source=S)
case("should find organization by slug", org=["/orgs/:slug"], paths=["/orgs/my-org"], source=S)
case("should find personal account", personal=["/account"], paths=["/account"], source=S)
case("should prioritize organization over personal account", org=["/orgs/:id"], personal=["/orgs/:id"], paths=["/orgs/123"], source=S)
case("should handle nested paths", org=["/orgs/:id/(.*)"], paths=["/orgs/123/settings"], source=S)
case("should handle multiple patterns", org=["/orgs/:id", "/teams/:id"], paths=["/teams/123"], source=S)
case("should return null for non-matching paths", org=["/orgs/:id"], paths=["/other/123"], source=S)

R = "request.test.ts getOrganizationSyncTarget"
for name, sync, path in [
 ("none activates nothing",None,"/orgs/org_foo"),
 ("Can activate an org by ID (basic)",{"organizationPatterns":["/orgs/:id"]},"/orgs/org_foo"),
 ("mimatch activates nothing",{"organizationPatterns":["/orgs/:id"]},"/personal-account/my-resource"),
 ("Can activate an org by ID (recommended matchers)",{"organizationPatterns":["/orgs/:id","/orgs/:id/","/orgs/:id/(.*)"]},"/orgs/org_foo"),
 ("Can activate an org by ID with a trailing slash",{"organizationPatterns":["/orgs/:id","/orgs/:id/","/orgs/:id/(.*)"]},"/orgs/org_foo/"),
 ("Can activate an org by ID with a trailing path component",{"organizationPatterns":["/orgs/:id","/orgs/:id/","/orgs/:id/(.*)"]},"/orgs/org_foo/nested-resource"),
 ("Can activate an org by ID with many trailing path component",{"organizationPatterns":["/orgs/:id/(.*)"]},"/orgs/org_foo/nested-resource/and/more/deeply/nested/resources"),
 ("Can activate an org by ID with an unrelated path token in the prefix",{"organizationPatterns":["/unknown-thing/:any/orgs/:id"]},"/unknown-thing/thing/orgs/org_foo"),
 ("Can activate an org by slug",{"organizationPatterns":["/orgs/:slug"]},"/orgs/my-org"),
 ("Can activate the personal account",{"personalAccountPatterns":["/personal-account"]},"/personal-account"),
 ("ID match precedes slug match",{"organizationPatterns":["/orgs/:id","/orgs/:slug"]},"/orgs/my-org"),
 ("org match match precedes personal account",{"personalAccountPatterns":["/","/(.*)"],"organizationPatterns":["/orgs/:slug"]},"/orgs/my-org"),
 ("personal account may contain path tokens",{"personalAccountPatterns":["/user/:any","/user/:any/(.*)"]},"/user/123/home"),
 ("All of the config at once",{"organizationPatterns":["/orgs-by-id/:id","/orgs-by-id/:id/(.*)","/orgs-by-slug/:slug","/orgs-by-slug/:slug/(.*)"],"personalAccountPatterns":["/personal-account","/personal-account/(.*)"]},"/orgs-by-slug/org_bar/sub-resource"),
]:
    sync = sync or {}
    case("getOrganizationSyncTarget: " + name, org=sync.get("organizationPatterns"), personal=sync.get("personalAccountPatterns"), paths=[path], source=R)
# ours: semantics pinned against Clerk's code
case("case-insensitive, optional trailing slash, exact length", org=["/orgs/:slug"], paths=["/ORGS/Acme", "/orgs/acme/", "/orgs/acme//", "/orgs/acme/x", "/orgs", "/orgs/", "orgs/acme"])
case("no percent-decoding", org=["/orgs/:slug"], paths=["/orgs/ac%20me", "/orgs/%41cme", "/orgs/a%2Fb"])
case("id wins over slug", org=["/o/:slug/:id", "/s/:slug"], paths=["/o/acme/org_1", "/s/acme"])
case("a pattern with neither falls through to the personal patterns", org=["/orgs/(.*)"], personal=["/orgs/(.*)", "/me"], paths=["/orgs/acme", "/me", "/ME/"])
case("nested organization pages", org=["/orgs/:slug", "/orgs/:slug/(.*)"], personal=["/me", "/me/(.*)"], paths=["/orgs/acme/invoices/7", "/orgs/acme", "/me/settings", "/other"])
case("an empty personal list matches every path", personal=[], paths=["/", "/anything/at/all"])
case("an empty organization list matches nothing named", org=[], paths=["/orgs/acme"])
case("optional and repeated parameters", org=["/a/:id?", "/b/:id+", "/c{-:slug}?"], paths=["/a", "/a/1", "/b/1/2", "/c-x", "/c"])
case("custom parameter patterns", org=["/n/:id(\\d+)", "/u/:slug([a-z]+)"], paths=["/n/42", "/n/x", "/u/abc", "/u/ABC", "/u/a1"])
case("a very long path", org=["/orgs/:slug/(.*)"], paths=["/orgs/acme/" + "a/" * 5000, "/x" * 5000])
for p, why in [("/orgs/:", "missing name"), ("/orgs/:id/(", "unbalanced"), ("/orgs/(?:x)", "starts with ?"), ("/orgs/()", "missing pattern"), ("/orgs/:id((x))", "capturing group"), ("/orgs/:a:b", "two parameters"), ("/orgs/{:id", "unclosed brace"), ("/orgs/:id*x", "repeat without prefix? no"), ("(a)+", "repeat without prefix"), ("/orgs/:id/\\", "trailing escape")]:
    case(f"refused: {p} ({why})", org=[p])
    case(f"refused as a personal pattern: {p} ({why})", personal=[p])
out = json.loads(subprocess.run(["node", "org_matcher.mjs"], input=json.dumps(C), capture_output=True, text=True, check=True).stdout)
doc = {
  "source": "Clerk's OrganizationMatcher (and the getOrganizationSyncTarget table of request.test.ts, whose title clerk_request_cases.json lists; its rows are cases here too, named `getOrganizationSyncTarget: <name>`) (packages/backend/src/tokens/organizationMatcher.ts and __tests__/organizationMatcher.test.ts): every case's targets are what Clerk's findTarget answers, over @clerk/shared's path-to-regexp 6 match() as @clerk/backend 3.25.0 runs it (tests/node/org_matcher.mjs); the cases with clerk_test are that file's own",
  "clerk_tests": [],
  "cases": out,
}
titles = ["OrganizationMatcher > constructor > should create matcher with no patterns when options are undefined",
 "OrganizationMatcher > constructor > should create matcher with organization patterns",
 "OrganizationMatcher > constructor > should create matcher with personal account patterns",
 "OrganizationMatcher > constructor > should throw error for invalid organization pattern",
 "OrganizationMatcher > constructor > should throw error for invalid personal account pattern",
 "OrganizationMatcher > findTarget > should return null for no patterns",
 "OrganizationMatcher > findTarget > should find organization by ID",
 "OrganizationMatcher > findTarget > should find organization by slug",
 "OrganizationMatcher > findTarget > should find personal account",
 "OrganizationMatcher > findTarget > should prioritize organization over personal account",
 "OrganizationMatcher > findTarget > should handle nested paths",
 "OrganizationMatcher > findTarget > should handle multiple patterns",
 "OrganizationMatcher > findTarget > should return null for non-matching paths",
 "OrganizationMatcher > pathToRegexp behavior > should throw error for invalid pattern"]
for c in C:
    if c.get("clerk_test") == R:
        doc["clerk_tests"].append({"title": "request.test.ts > " + c["title"], "ported_as": [c["title"]]})
for t in titles:
    leaf = t.split(" > ")[-1]
    if leaf == "should create matcher with no patterns when options are undefined":
        doc["clerk_tests"].append({"title": t, "ported_as": ["should return null for no patterns"]})
    elif leaf == "should throw error for invalid pattern":
        doc["clerk_tests"].append({"title": t, "ported_as": ["should throw error for invalid organization pattern"]})
    else:
        doc["clerk_tests"].append({"title": t, "ported_as": [leaf]})
open("../tests/data/request/organization_matcher.json","w").write(json.dumps(doc, indent=1) + "\n")
