// Runs Clerk's own Backend API client (`clerk.organizationRoles`, `clerk.organizationPermissions`)
// against a FakeClerk (tests/tests/node_rbac.rs). Reads {"apiUrl", "secretKey"} on stdin,
// answers one JSON line on stdout: what each call returned, or the error.
import { createClerkClient } from '@clerk/backend';

const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
}));

const clerk = createClerkClient({ secretKey: input.secretKey, apiUrl: input.apiUrl });
const out = {};
try {
  const roles = await clerk.organizationRoles.getOrganizationRoleList();
  out.roleKeys = roles.data.map((r) => r.key).sort();
  out.totalCount = roles.totalCount;
  const permissions = await clerk.organizationPermissions.getOrganizationPermissionList({ limit: 100 });
  out.systemPermissions = permissions.data.filter((p) => p.key.startsWith('org:sys_')).length;
  const created = await clerk.organizationPermissions.createOrganizationPermission({
    key: 'org:invoices:read', name: 'Read invoices', description: 'Invoices',
  });
  out.permissionKey = created.key;
  const updated = await clerk.organizationPermissions.updateOrganizationPermission({
    permissionId: created.id, name: 'Invoices: read',
  });
  out.permissionName = updated.name;
  const role = await clerk.organizationRoles.createOrganizationRole({
    key: 'org:accountant', name: 'Accountant', permissions: [created.id],
  });
  out.rolePermissions = role.permissions.map((p) => p.key);
  const removed = await clerk.organizationRoles.removePermissionFromOrganizationRole({
    organizationRoleId: role.id, permissionId: created.id,
  });
  out.afterRemove = removed.permissions.length;
  const assigned = await clerk.organizationRoles.assignPermissionToOrganizationRole({
    organizationRoleId: role.id, permissionId: created.id,
  });
  out.afterAssign = assigned.permissions.map((p) => p.key);
  const renamed = await clerk.organizationRoles.updateOrganizationRole({
    organizationRoleId: role.id, name: 'Accounts',
  });
  out.roleName = renamed.name;
  const fetched = await clerk.organizationRoles.getOrganizationRole(role.id);
  out.fetchedKey = fetched.key;
  const deleted = await clerk.organizationRoles.deleteOrganizationRole(role.id);
  out.roleDeleted = deleted.deleted;
  const gone = await clerk.organizationPermissions.deleteOrganizationPermission(created.id);
  out.permissionDeleted = gone.deleted;
  console.log(JSON.stringify({ ok: true, ...out }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, ...out, status: error.status ?? null, message: String(error.message ?? error), errors: error.errors ?? null }));
}
