import { ConflictException, Controller, Get, HttpCode, Inject, Logger, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { EventName, EventPublisher } from '@ttt/contracts';
import { ModelVersionNotFoundError, ModelVersionRepository, type ModelVersionRow, PG_POOL } from '@ttt/db';
import type pg from 'pg';
import { ApiKeyGuard } from './api-key.guard.js';
import { idParam } from './id-param.js';

@Controller('admin/models')
@UseGuards(ApiKeyGuard)
export class ModelsController {
  private readonly logger = new Logger(ModelsController.name);
  private readonly repo: ModelVersionRepository;

  constructor(
    @Inject(PG_POOL) pool: pg.Pool,
    private readonly events: EventPublisher,
  ) {
    this.repo = new ModelVersionRepository(pool);
  }

  @Get()
  list(): Promise<ModelVersionRow[]> {
    return this.repo.list();
  }

  /** Makes a ready (or retired) version its category's active one and announces it. */
  @Post(':id/activate')
  @HttpCode(200)
  async activate(@Param('id') raw: string): Promise<ModelVersionRow> {
    const id = await this.existing(raw);
    let row: ModelVersionRow;
    try {
      row = await this.repo.activate(id);
    } catch (error) {
      if (error instanceof ModelVersionNotFoundError) throw new NotFoundException(error.message);
      // The repository's refusals (a base model, a version not ready) name the version.
      if ((error as Error).message.startsWith(`model version ${id} is`)) throw new ConflictException((error as Error).message);
      throw error;
    }
    // Events are hints: the database already holds the truth if Redis does not answer.
    await this.events
      .publish(EventName.modelActivated, { modelVersionId: row.id, category: row.category! })
      .catch((error: Error) => this.logger.warn({ msg: 'model.activated not published', modelVersionId: row.id, error: error.message }));
    return row;
  }

  @Post(':id/retire')
  @HttpCode(200)
  async retire(@Param('id') raw: string): Promise<ModelVersionRow> {
    const id = await this.existing(raw);
    try {
      return await this.repo.retire(id);
    } catch (error) {
      if (error instanceof ModelVersionNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
  }

  private async existing(raw: string): Promise<number> {
    const id = idParam(raw, 'model version');
    if (!(await this.repo.find(id))) throw new NotFoundException(`model version ${id} does not exist`);
    return id;
  }
}
