import { API } from '@parley/protocol';
import { renderComponent } from '../testing';
import { RetentionComponent } from './retention.component';

describe('RetentionComponent', () => {
  type View = Awaited<ReturnType<typeof renderComponent<RetentionComponent>>>;

  /** Lets the answered request's promise chain run and the view render until `done` holds (bounded). */
  async function settle(view: View, done: () => boolean): Promise<void> {
    for (let i = 0; i < 50 && !done(); i++) {
      await new Promise((resolve) => setTimeout(resolve));
      await view.fixture.whenStable();
    }
    if (!done()) throw new Error('the view did not update');
  }

  async function rendered(): Promise<View> {
    const view = await renderComponent(RetentionComponent, {});
    view.http.expectOne(API.adminRetention).flush({ recordingDays: 30, callHistoryDays: null });
    await settle(view, () => view.byId('retention-form') !== null);
    return view;
  }

  const type = (input: HTMLInputElement | null, value: string) => {
    if (!input) throw new Error('no input');
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };

  it('shows the stored days, empty for "keep", each input labelled', async () => {
    const { el, byId } = await rendered();
    expect(byId('retention-recordingDays')?.value).toBe('30');
    expect(byId('retention-callHistoryDays')?.value).toBe('');
    expect(byId('retention-callHistoryDays')?.placeholder).toBe('Keep');
    for (const input of Array.from(el.querySelectorAll('input'))) {
      expect(el.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
  });

  it('saves days and "keep" (empty) and shows the server errors by field', async () => {
    const view = await rendered();
    const { byId, http } = view;
    type(byId('retention-callHistoryDays'), '0');
    byId('retention-save')?.click();
    const refused = http.expectOne((r) => r.url === API.adminRetention && r.method === 'PUT');
    expect(refused.request.body).toEqual({ recordingDays: 30, callHistoryDays: 0 });
    refused.flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message:
          'Invalid retention settings: callHistoryDays: callHistoryDays must be null or whole days, 1-3650',
        errors: [{ field: 'callHistoryDays', message: 'callHistoryDays must be null or whole days, 1-3650' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle(view, () => byId('retention-error-callHistoryDays') !== null);
    expect(byId('retention-error-callHistoryDays')?.textContent).toContain('whole days, 1-3650');
    expect(byId('retention-saved')).toBeNull();

    type(byId('retention-recordingDays'), '');
    type(byId('retention-callHistoryDays'), '90');
    byId('retention-save')?.click();
    const saved = http.expectOne((r) => r.url === API.adminRetention && r.method === 'PUT');
    expect(saved.request.body).toEqual({ recordingDays: null, callHistoryDays: 90 });
    saved.flush({ recordingDays: null, callHistoryDays: 90 });
    await settle(view, () => byId('retention-saved') !== null);
    expect(byId('retention-error-callHistoryDays')).toBeNull();
    expect(byId('retention-saved')?.textContent?.trim()).toBe('Saved');
    expect(byId('retention-recordingDays')?.value).toBe('');
    expect(byId('retention-callHistoryDays')?.value).toBe('90');
  });
});
