import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { routes } from './app.routes';
import { provideParleyWidget } from '@parley/widget';
import { authInterceptor } from './core/auth.interceptor';
import { PortalWidgetHost } from './core/widget-host';

// Zoneless change detection is the default in Angular 22: no zone.js, signals drive rendering.
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideHttpClient(withFetch(), withInterceptors([authInterceptor])),
    provideRouter(routes, withComponentInputBinding()),
    provideParleyWidget(PortalWidgetHost),
  ],
};
