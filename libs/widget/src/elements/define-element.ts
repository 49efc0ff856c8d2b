import {
  type ApplicationRef,
  type ComponentRef,
  type OutputRef,
  type Type,
  createComponent,
} from '@angular/core';

/**
 * A tiny replacement for `@angular/elements` (not published for Angular 22.2.x in our registry,
 * and 22.1.x would break the exact 22.2.5 pin): it defines a custom element that hosts one
 * standalone component, created with `createComponent` in an application made by
 * `createApplication`. Attributes map to inputs (`toInputs` recomputes them whenever an observed
 * attribute changes), outputs re-emit as bubbling `CustomEvent`s with the value in `detail`.
 */
export interface ElementSpec<C> {
  tag: string;
  component: Type<C>;
  /** Attributes whose changes update the inputs. */
  attributes: readonly string[];
  /** Input values from the element's current attributes. */
  toInputs(element: HTMLElement): Record<string, unknown>;
  /** Output names of the component: each re-emits as an event of the same name. */
  outputs?: readonly (keyof C & string)[];
}

export function defineParleyElement<C>(app: ApplicationRef, spec: ElementSpec<C>): void {
  if (customElements.get(spec.tag)) return;

  class ParleyElement extends HTMLElement {
    static readonly observedAttributes = [...spec.attributes];
    private ref: ComponentRef<C> | null = null;
    private readonly subscriptions: { unsubscribe(): void }[] = [];

    connectedCallback(): void {
      if (this.ref) return;
      const ref = createComponent(spec.component, { environmentInjector: app.injector, hostElement: this });
      this.ref = ref;
      this.applyInputs();
      for (const name of spec.outputs ?? []) {
        const output = ref.instance[name] as unknown as OutputRef<unknown>;
        this.subscriptions.push(
          output.subscribe((detail) =>
            this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true })),
          ),
        );
      }
      app.attachView(ref.hostView);
      ref.changeDetectorRef.detectChanges();
    }

    disconnectedCallback(): void {
      // Moving the element in the DOM disconnects and reconnects it: only destroy if it stays out.
      queueMicrotask(() => {
        if (this.isConnected || !this.ref) return;
        this.subscriptions.splice(0).forEach((s) => s.unsubscribe());
        app.detachView(this.ref.hostView);
        this.ref.destroy();
        this.ref = null;
      });
    }

    attributeChangedCallback(): void {
      this.applyInputs();
    }

    private applyInputs(): void {
      if (!this.ref) return;
      for (const [name, value] of Object.entries(spec.toInputs(this))) this.ref.setInput(name, value);
    }
  }

  customElements.define(spec.tag, ParleyElement);
}
