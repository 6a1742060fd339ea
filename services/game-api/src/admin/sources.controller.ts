import { Controller, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard.js';
import { idParam } from './id-param.js';
import { type SourceRow, SourcesRepository } from './sources.repository.js';

@Controller('admin/sources')
@UseGuards(ApiKeyGuard)
export class SourcesController {
  constructor(private readonly sources: SourcesRepository) {}

  @Post(':id/disable')
  @HttpCode(200)
  disable(@Param('id') id: string): Promise<SourceRow> {
    return this.set(id, false);
  }

  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param('id') id: string): Promise<SourceRow> {
    return this.set(id, true);
  }

  private async set(raw: string, enabled: boolean): Promise<SourceRow> {
    const row = await this.sources.setEnabled(idParam(raw, 'source'), enabled);
    if (!row) throw new NotFoundException(`source ${raw} does not exist`);
    return row;
  }
}
