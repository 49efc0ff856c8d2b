import { type INestApplication, ShutdownSignal } from '@nestjs/common';
import { errorMessage } from '@parley/protocol';
import { DrainService } from './drain.service';

/** The signals that drain first (an orchestrator's stop, Ctrl-C); the others only close the app. */
const DRAIN_SIGNALS = [ShutdownSignal.SIGTERM, ShutdownSignal.SIGINT] as const;

/**
 * How the process stops. On SIGTERM or SIGINT: the drain ({@link DrainService}), then the app
 * closes (Nest's shutdown hooks: the services, the socket and HTTP servers, the database last)
 * and the process exits 0 (1 if closing failed). A second such signal during the drain cuts the
 * grace short. Any other shutdown signal closes the app without a drain (Nest's own handling).
 */
export function stopOnSignals(
  app: INestApplication,
  log: { log(message: string): void; error(message: string): void },
): void {
  const others = Object.values(ShutdownSignal).filter(
    (signal) => !(DRAIN_SIGNALS as readonly string[]).includes(signal),
  );
  app.enableShutdownHooks(others);
  const drain = app.get(DrainService);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.log(`${signal} again: ending the live calls now`);
      drain.endNow();
      return;
    }
    stopping = true;
    log.log(`${signal}: draining`);
    drain
      .drain()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error(`Shutdown failed: ${errorMessage(error)}`);
          process.exit(1);
        },
      );
  };
  for (const signal of DRAIN_SIGNALS) process.on(signal, stop);
}
