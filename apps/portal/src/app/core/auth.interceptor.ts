import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { API } from '@parley/protocol';
import { catchError, throwError } from 'rxjs';
import { SessionService } from './session.service';

/** Requests whose 401 means "wrong credentials" or "not signed in yet", not "session expired". */
const AUTH_PROBES: readonly string[] = [API.login, API.session, API.logout];

/** A 401 from any other API call sends the user back to the login page. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const session = inject(SessionService);
  return next(req).pipe(
    catchError((err: unknown) => {
      if (err instanceof HttpErrorResponse && err.status === 401 && !AUTH_PROBES.includes(req.url)) {
        session.handleUnauthorized();
      }
      return throwError(() => err);
    }),
  );
};
