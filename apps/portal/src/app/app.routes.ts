import { inject } from '@angular/core';
import type { Routes } from '@angular/router';
import { ADMIN_CHANGES } from '@parley/admin';
import { adminGuard, authGuard, guestGuard } from './core/guards';
import { RealtimeService } from './core/realtime.service';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Parley',
    canActivate: [guestGuard],
    loadComponent: () => import('./pages/login/login.page').then((m) => m.LoginPage),
  },
  {
    // A guest link (docs/guests.md): no account, no session; the page brings its own call services.
    path: 'guest/:token',
    title: 'Join as a guest · Parley',
    loadComponent: () => import('./pages/guest/guest.page').then((m) => m.GuestPage),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./pages/shell/shell.component').then((m) => m.ShellComponent),
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'Activity · Parley',
        loadComponent: () => import('./pages/activity/activity.page').then((m) => m.ActivityPage),
      },
      {
        path: 'people/:id',
        title: 'Profile · Parley',
        loadComponent: () => import('./pages/profile/profile.page').then((m) => m.ProfilePage),
      },
      {
        // A room's permanent call link: membership checked, then the room opens and the call joins.
        path: 'rooms/:id/call',
        title: 'Join call · Parley',
        loadComponent: () => import('./pages/call-link/call-link.page').then((m) => m.CallLinkPage),
      },
      {
        path: 'rooms/:id',
        title: 'Chat · Parley',
        loadComponent: () => import('./pages/room/room.page').then((m) => m.RoomPage),
      },
      {
        path: 'admin',
        title: 'Administration · Parley',
        canActivate: [adminGuard],
        // The Web Conferencing admin page (libs/admin), refreshed live by `admin.changed` pushes.
        providers: [
          { provide: ADMIN_CHANGES, useFactory: () => inject(RealtimeService).events('admin.changed') },
        ],
        loadComponent: () => import('@parley/admin').then((m) => m.AdminPageComponent),
      },
      {
        path: 'admin-only',
        title: 'Administrators only · Parley',
        loadComponent: () => import('./pages/admin-only/admin-only.page').then((m) => m.AdminOnlyPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
