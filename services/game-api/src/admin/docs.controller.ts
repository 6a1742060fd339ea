import { Controller, Get, Header } from '@nestjs/common';
import { docsPage } from './docs-page.js';
import { openApiDocument } from './openapi.js';

/** The admin API's description: readable without a key (it holds no data). */
@Controller('admin')
export class DocsController {
  @Get('openapi.json')
  document(): object {
    return openApiDocument();
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
  docs(): string {
    return docsPage;
  }
}
