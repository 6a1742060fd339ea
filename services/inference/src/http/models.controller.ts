import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { describeIssues } from '@ttt/contracts';
import type { Request, Response } from 'express';
import { type Config, INFERENCE_CONFIG } from '../config.js';
import { generateBodySchema, scoreBodySchema } from '../generation/generate-body.js';
import type { GenerateResponse, ScoreResponse } from '../generation/generation-types.js';
import { GENERATOR, type Generator } from '../generation/generator.js';
import { ModelCatalogRepository } from '../models/model-catalog.repository.js';
import { type ModelListing, listModels } from '../models/model-listing.js';
import { toHttpError } from './http-errors.js';
import { requestSignal } from './request-signal.js';

@Controller('v1/models')
export class ModelsController {
  private readonly generateBody: ReturnType<typeof generateBodySchema>;

  constructor(
    @Inject(GENERATOR) private readonly generator: Generator,
    private readonly catalog: ModelCatalogRepository,
    @Inject(INFERENCE_CONFIG) private readonly config: Config,
  ) {
    this.generateBody = generateBodySchema(config.INFERENCE_MAX_NEW_TOKENS);
  }

  /** Every category's model: its versions, which one is active, and their metrics. */
  @Get()
  async list(@Res({ passthrough: true }) res: Response): Promise<{ models: ModelListing[] }> {
    try {
      return { models: listModels(await this.catalog.servable()) };
    } catch (error) {
      throw toHttpError(error, res);
    }
  }

  @Post(':name/generate')
  @HttpCode(200)
  async generate(@Param('name') name: string, @Body() raw: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<GenerateResponse> {
    const parsed = this.generateBody.safeParse(raw ?? {});
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error.issues));
    const { signal, done } = requestSignal(req, res, this.config.INFERENCE_REQUEST_TIMEOUT_MS);
    try {
      return await this.generator.generate(name, parsed.data, signal);
    } catch (error) {
      throw toHttpError(error, res);
    } finally {
      done();
    }
  }

  /** Each token's probability and rank under the model: what the game's reveal colours. */
  @Post(':name/score')
  @HttpCode(200)
  async score(@Param('name') name: string, @Body() raw: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ScoreResponse> {
    const parsed = scoreBodySchema.safeParse(raw ?? {});
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error.issues));
    const { signal, done } = requestSignal(req, res, this.config.INFERENCE_REQUEST_TIMEOUT_MS);
    try {
      return await this.generator.score(name, parsed.data.text, signal);
    } catch (error) {
      throw toHttpError(error, res);
    } finally {
      done();
    }
  }
}
