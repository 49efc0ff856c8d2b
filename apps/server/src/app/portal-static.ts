import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SERVER_PATHS = /^\/(api|socket\.io|metrics)(\/|$)/;

/**
 * Serves the built Angular portal at `/`, with the SPA fallback to index.html for every other
 * GET outside `/api`, `/socket.io` and `/metrics`. Without a build, `/` explains how to make one.
 */
export function servePortal(app: NestExpressApplication, dist: string): void {
  const index = join(dist, 'index.html');
  const built = existsSync(index);
  if (built) {
    app.useStaticAssets(dist, { index: false, maxAge: '1h' });
  }
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path)) {
      next();
      return;
    }
    if (existsSync(index)) {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
      return;
    }
    res
      .status(503)
      .type('text/plain')
      .send(
        `The Parley portal is not built: ${index} does not exist.\n` +
          'Build it (npx nx run portal:build) or point PORTAL_DIST at the folder holding index.html.\n' +
          'The API is available under /api (documentation at /api/docs).\n',
      );
  });
}
