import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';

/** For the component specs: `component` rendered with `inputs`, its HTTP calls held by the testing backend. */
export async function renderComponent<T>(component: Type<T>, inputs: Record<string, unknown>) {
  TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
  const fixture = TestBed.createComponent(component);
  for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  /** The element with that `data-testid`. */
  const byId = (id: string) => el.querySelector<HTMLInputElement>(`[data-testid="${id}"]`);
  return { fixture, el, byId, http: TestBed.inject(HttpTestingController) };
}
