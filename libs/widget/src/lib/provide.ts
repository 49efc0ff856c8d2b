import { type EnvironmentProviders, type Type, makeEnvironmentProviders } from '@angular/core';
import { DEFAULT_WIDGET_CONFIG, PARLEY_WIDGET_CONFIG, type ParleyWidgetConfig } from './config/widget-config';
import { ParleyWidgetHost } from './host/widget-host';

/** Wires the widget into an application: the page's host implementation and optional defaults. */
export function provideParleyWidget(
  host: Type<ParleyWidgetHost>,
  config: Partial<ParleyWidgetConfig> = {},
): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: ParleyWidgetHost, useClass: host },
    { provide: PARLEY_WIDGET_CONFIG, useValue: { ...DEFAULT_WIDGET_CONFIG, ...config } },
  ]);
}
