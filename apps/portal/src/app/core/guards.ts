import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { SessionService } from './session.service';

// Note: inject() only works before the first `await`, so each guard injects up front.

/** Signed-in users only; others go to /login (and come back afterwards). */
export const authGuard: CanActivateFn = async (_route, state) => {
  const router = inject(Router);
  const user = await inject(SessionService).restore();
  if (user) return true;
  return state.url && state.url !== '/'
    ? router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } })
    : router.createUrlTree(['/login']);
};

/**
 * Administrators only (`user.isAdmin`); another signed-in user gets the page that says so
 * (`/admin-only`), a signed-out visitor the login page.
 */
export const adminGuard: CanActivateFn = async (_route, state) => {
  const router = inject(Router);
  const user = await inject(SessionService).restore();
  if (user?.isAdmin) return true;
  return user
    ? router.createUrlTree(['/admin-only'])
    : router.createUrlTree(['/login'], { queryParams: { returnUrl: state?.url || '/admin' } });
};

/** The login page is for signed-out visitors. */
export const guestGuard: CanActivateFn = async () => {
  const router = inject(Router);
  const user = await inject(SessionService).restore();
  return user ? router.createUrlTree(['/']) : true;
};
