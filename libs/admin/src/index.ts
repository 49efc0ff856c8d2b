/**
 * `@parley/admin`: the Web Conferencing admin page (providers, ICE servers, audit log) as a
 * standalone Angular component. Route to {@link AdminPageComponent} for administrators only and,
 * optionally, provide {@link ADMIN_CHANGES} (the `admin.changed` socket pushes) for live refresh.
 */
export { ADMIN_CHANGES, AdminApi, AdminApiError } from './lib/api/admin-api.service';
export { AdminPageComponent, type AdminTab } from './lib/admin-page/admin-page.component';
export { IceTester, PEER_CONNECTION_FACTORY, type IceTestResult } from './lib/ice-test/ice-tester';
