import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { ApiRequestError } from '../../core/api-client';
import { SessionService } from '../../core/session.service';

@Component({
  selector: 'parley-login-page',
  imports: [FormsModule],
  templateUrl: './login.page.html',
  styleUrl: './login.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);

  /** Where to go after signing in (set by the guards). */
  readonly returnUrl = input<string>();

  protected readonly username = signal('');
  protected readonly password = signal('');
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    this.error.set(null);
    if (!this.username().trim() || !this.password()) {
      this.error.set('Enter your username and password.');
      return;
    }
    this.busy.set(true);
    try {
      await this.session.login(this.username().trim(), this.password());
      const target = this.returnUrl();
      await this.router.navigateByUrl(target?.startsWith('/') && !target.startsWith('//') ? target : '/');
    } catch (err) {
      this.error.set(
        err instanceof ApiRequestError && err.status === 401
          ? err.message || 'Invalid username or password.'
          : err instanceof Error
            ? err.message
            : 'Sign-in failed.',
      );
      this.password.set('');
    } finally {
      this.busy.set(false);
    }
  }
}
