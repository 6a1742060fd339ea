import { Controller, Get } from '@nestjs/common';
import { EditionsRepository } from './editions.repository.js';

@Controller('api/editions')
export class EditionsController {
  constructor(private readonly editions: EditionsRepository) {}

  @Get()
  async list(): Promise<{ editions: Array<{ slug: string; name: string; description: string | null }> }> {
    const editions = await this.editions.list();
    return { editions: editions.map((e) => ({ slug: e.slug, name: e.name, description: e.description })) };
  }
}
