import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from './app/config';
import { createApp } from './app/create-app';
import { stopOnSignals } from './app/ops/shutdown';

async function main(): Promise<void> {
  // `.env` fills in what the environment does not set: the environment wins.
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  const app = await createApp(config);
  const logger = app.get(Logger);
  // SIGTERM drains (calls, sockets), then closes the app: the database last.
  stopOnSignals(app, {
    log: (message) => logger.log(message, 'Shutdown'),
    error: (message) => logger.error(message, 'Shutdown'),
  });
  await app.listen(config.port, config.host);
  logger.log(`Parley listening on http://${config.host}:${config.port} (${config.database.type})`, 'Main');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Parley failed to start:', error);
  }
  process.exit(1);
});
