// Clerk's OrganizationMatcher.findTarget (packages/backend/src/tokens/organizationMatcher.ts),
// over @clerk/shared's path-to-regexp 6 `match`, the code @clerk/backend 3.25.0 runs: reads
// [{organization_patterns?, personal_account_patterns?, paths: [..]}] on stdin and prints, for
// each path, the target or null, or the error of a refused pattern.
import { match } from '@clerk/shared/pathToRegexp';

const matcher = (patterns) => {
  if (!patterns) return null;
  try {
    return { fn: match(patterns) };
  } catch (e) {
    return { error: `Invalid pattern "${patterns}": ${e}` };
  }
};
const findTarget = (org, personal, path) => {
  if (org) {
    const r = org.fn(path);
    if (r && 'params' in r) {
      // A repeated parameter (`:id+`) is a list, printed joined by "," and never equal to a claim.
      const repeated = (v) => (Array.isArray(v) ? { repeated: true } : {});
      if (r.params.id) return { type: 'organization', organizationId: String(r.params.id), ...repeated(r.params.id) };
      if (r.params.slug) return { type: 'organization', organizationSlug: String(r.params.slug), ...repeated(r.params.slug) };
    }
  }
  if (personal && personal.fn(path)) return { type: 'personalAccount' };
  return null;
};
const input = JSON.parse(await new Promise((ok) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d)).on('end', () => ok(s));
}));
const out = input.map((c) => {
  const org = matcher(c.organization_patterns);
  const personal = matcher(c.personal_account_patterns);
  const error = org?.error ?? personal?.error;
  if (error) return { ...c, refused: error };
  return { ...c, targets: c.paths.map((p) => findTarget(org, personal, p)) };
});
process.stdout.write(JSON.stringify(out));
