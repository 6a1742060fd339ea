import { UnsupportedMediaTypeException } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/** JSON bodies here are a few fields; Express's default cap, kept when moving to Fastify. */
const JSON_LIMIT = 100 * 1024;
/** A handle list uploaded as text/plain (admin API) may be long. */
const TEXT_LIMIT = 1024 * 1024;
/** Paths carry ids and slugs; longer segments get the app's own 400/404 rather than Fastify's 414. */
const PARAM_LIMIT = 16 * 1024;

/**
 * game-api runs on Fastify rather than Express: on the 2-core VM a bare Nest app answered
 * ~2,700 requests/s on Express 5 and ~11,500-14,700 on Fastify in the same run, and a round and
 * its guess are two requests. Other services keep Express (their traffic is light).
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({ bodyLimit: JSON_LIMIT, routerOptions: { maxParamLength: PARAM_LIMIT } });
  const fastify = adapter.getInstance();
  // Fastify reads every JSON body as UTF-8 whatever its declared charset; bytes declared as
  // something else would be stored as mojibake, so they are refused as Express refused them.
  fastify.addHook('onRequest', (req, _reply, done) => {
    const type = req.headers['content-type'] ?? '';
    const charset = /^application\/json\s*;.*?charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1]?.toLowerCase();
    if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return done();
    done(new UnsupportedMediaTypeException(`unsupported charset "${charset}": send JSON as UTF-8`));
  });
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: TEXT_LIMIT }, (_req, body, done) => done(null, body));
  return adapter;
}
