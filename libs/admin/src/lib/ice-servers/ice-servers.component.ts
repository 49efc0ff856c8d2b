import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  ICE_TRANSPORT_POLICIES,
  type AdminIceServer,
  type AdminIceSettings,
  type IceTransportPolicy,
} from '@parley/protocol';
import { AdminApi, AdminApiError } from '../api/admin-api.service';
import { IceServerFormComponent } from '../ice-server-form/ice-server-form.component';
import { IceTester, type IceTestResult } from '../ice-test/ice-tester';
import { moved, reloadOnAdminChange, showingErrors } from '../shared/admin-ui';
import { MoveButtonsComponent } from '../shared/move-buttons.component';

/** State of the Test of one server. */
type TestState =
  { status: 'running' } | { status: 'done'; result: IceTestResult } | { status: 'error'; message: string };

const CREDENTIAL_SUMMARY = {
  none: 'No credentials',
  static: 'Static credentials',
  rest: 'TURN REST secret',
} as const;

/**
 * The ICE servers: list in order (enable, reorder, edit, remove, Test), the transport policy, and
 * the warning shown while the seeded public STUN server is the only one.
 */
@Component({
  selector: 'parley-ice-servers',
  imports: [IceServerFormComponent, MoveButtonsComponent],
  templateUrl: './ice-servers.component.html',
  styleUrl: './ice-servers.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IceServersComponent {
  private readonly api = inject(AdminApi);
  private readonly tester = inject(IceTester);

  protected readonly policies = ICE_TRANSPORT_POLICIES;
  protected readonly credentialSummary = CREDENTIAL_SUMMARY;
  protected readonly settings = signal<AdminIceSettings | null>(null);
  protected readonly error = signal<string | null>(null);
  /** `new`, a server id, or null. */
  protected readonly editing = signal<string | null>(null);
  protected readonly tests = signal<Record<string, TestState>>({});

  constructor() {
    void this.load();
    reloadOnAdminChange('ice', () => this.load());
  }

  async load(): Promise<void> {
    await showingErrors(this.error, async () => this.settings.set(await this.api.iceServers()));
  }

  protected async saved(): Promise<void> {
    this.editing.set(null);
    await this.load();
  }

  protected async setEnabled(server: AdminIceServer, event: Event): Promise<void> {
    const enabled = (event.target as HTMLInputElement).checked;
    await this.run(() => this.api.updateIceServer(server.id, { enabled }));
  }

  protected async remove(server: AdminIceServer): Promise<void> {
    if (!confirm(`Remove the ICE server "${server.label || server.urls[0]}"?`)) return;
    await this.run(() => this.api.deleteIceServer(server.id));
  }

  protected async move(index: number, delta: -1 | 1): Promise<void> {
    const order = moved(this.settings()?.servers.map((s) => s.id) ?? [], index, delta);
    if (order) await this.run(() => this.api.updateIceSettings({ order }));
  }

  protected async setPolicy(event: Event): Promise<void> {
    const iceTransportPolicy = (event.target as HTMLSelectElement).value as IceTransportPolicy;
    await this.run(() => this.api.updateIceSettings({ iceTransportPolicy }));
  }

  protected async test(server: AdminIceServer): Promise<void> {
    this.setTest(server.id, { status: 'running' });
    try {
      const config = await this.api.testIceServer(server.id);
      this.setTest(server.id, { status: 'done', result: await this.tester.run(config) });
    } catch (err) {
      this.setTest(server.id, { status: 'error', message: AdminApiError.from(err).message });
    }
  }

  protected testStatus(state: TestState): 'running' | 'ok' | 'failed' {
    if (state.status === 'running') return 'running';
    return state.status === 'done' && state.result.ok ? 'ok' : 'failed';
  }

  private setTest(id: string, state: TestState): void {
    this.tests.update((tests) => ({ ...tests, [id]: state }));
  }

  private async run(change: () => Promise<unknown>): Promise<void> {
    await showingErrors(this.error, change);
    await this.load();
  }
}
