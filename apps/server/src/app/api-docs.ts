import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from '@parley/protocol';
import { VERSION } from './version';

/**
 * The REST API's OpenAPI documentation at `/api/docs` (the JSON at `/api/docs/json`), built from
 * the controllers. Served when `API_DOCS` is on: by default everywhere but in production, where it
 * would show anyone the whole API surface.
 */
export function serveApiDocs(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Parley')
      .setDescription(
        'REST API of the Parley server. Sign in with POST /api/auth/login (sets the session cookie) ' +
          'or send `Authorization: Bearer <token>`. Real-time events use socket.io at /socket.io.',
      )
      .setVersion(VERSION)
      .addCookieAuth(SESSION_COOKIE)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/json' });
}
