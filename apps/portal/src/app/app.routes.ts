import type { Routes } from '@angular/router';
import { adminGuard, authGuard, guestGuard } from './core/guards';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Parley',
    canActivate: [guestGuard],
    loadComponent: () => import('./pages/login/login.page').then((m) => m.LoginPage),
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
        path: 'rooms/:id',
        title: 'Chat · Parley',
        loadComponent: () => import('./pages/room/room.page').then((m) => m.RoomPage),
      },
      {
        path: 'admin',
        title: 'Administration · Parley',
        canActivate: [adminGuard],
        loadComponent: () => import('./pages/admin/admin.page').then((m) => m.AdminPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
