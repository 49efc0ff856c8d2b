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

/** Administrators only (`user.isAdmin`); others are redirected to the activity stream. */
export const adminGuard: CanActivateFn = async () => {
  const router = inject(Router);
  const user = await inject(SessionService).restore();
  return user?.isAdmin ? true : router.createUrlTree(user ? ['/'] : ['/login']);
};

/** The login page is for signed-out visitors. */
export const guestGuard: CanActivateFn = async () => {
  const router = inject(Router);
  const user = await inject(SessionService).restore();
  return user ? router.createUrlTree(['/']) : true;
};
