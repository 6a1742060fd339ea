import { Controller, Get } from '@nestjs/common';
import type { Edition } from '@ttt/contracts';
import { EditionsRepository } from './editions.repository.js';

@Controller('api/editions')
export class EditionsController {
  constructor(private readonly editions: EditionsRepository) {}

  @Get()
  async list(): Promise<{ editions: Edition[] }> {
    const editions = await this.editions.list();
    return { editions: editions.map((e) => ({ slug: e.slug, name: e.name, description: e.description })) };
  }
}
