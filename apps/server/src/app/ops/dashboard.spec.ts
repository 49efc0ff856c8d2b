// docs/grafana-dashboard.json queries only metrics Parley exports (a renamed metric must not
// leave an empty panel behind), and every Parley metric has a panel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParleyMetrics } from './metrics';
import { parsePrometheusText } from './testing';

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

describe('the Grafana dashboard (docs/grafana-dashboard.json)', () => {
  const dashboard = JSON.parse(
    readFileSync(join(__dirname, '../../../../../docs/grafana-dashboard.json'), 'utf8'),
  ) as Dashboard;
  const queried = new Set(
    dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((t) => t.expr.match(/parley_[a-z0-9_]+/g) ?? []),
    ),
  );

  it('queries only exported metrics, and shows every Parley metric', async () => {
    const metrics = new ParleyMetrics({
      sockets: () => 0,
      calls: () => [],
      recordingsActive: () => 0,
      media: () => ({ producers: {}, consumers: {} }),
      workers: async () => [],
    });
    const families = parsePrometheusText((await metrics.render()).body);
    // prom-client's event-loop lag quantiles are gauges of their own (`_p99_seconds`).
    for (const name of queried)
      expect({ name, exported: families.has(name) }).toEqual({ name, exported: true });
    const own = [...families.keys()].filter((name) => !/^parley_(process|nodejs)_/.test(name));
    for (const name of own) expect({ name, shown: queried.has(name) }).toEqual({ name, shown: true });
  });
});
