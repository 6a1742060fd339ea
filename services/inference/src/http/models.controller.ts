import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { describeIssues } from '@ttt/contracts';
import type { Request, Response } from 'express';
import { type Config, INFERENCE_CONFIG } from '../config.js';
import { generateBodySchema, scoreBodySchema } from '../generation/generate-body.js';
import type { GenerateResponse, ScoreResponse } from '../generation/generation-types.js';
import { GENERATOR, type Generator } from '../generation/generator.js';
import { ModelCatalogRepository } from '../models/model-catalog.repository.js';
import { type ModelListing, listModels } from '../models/model-listing.js';
import { parseModelName } from '../models/model-name.js';
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
    checkRequest(name, raw, req);
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
    checkRequest(name, raw, req);
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

/**
 * Refuses, before any work, a body the JSON parser did not read (another content type: it would
 * otherwise pass for no body, and the defaults would be generated in place of what was asked),
 * and a name that cannot be a model's (it would otherwise become a metrics label, and in a
 * gateway a queued job).
 */
function checkRequest(name: string, raw: unknown, req: Request): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (raw === undefined && hasBody) {
    throw new UnsupportedMediaTypeException(`the body must be JSON, sent as Content-Type: application/json (got ${req.headers['content-type'] ?? 'no Content-Type'})`);
  }
  if (!parseModelName(name)) throw new BadRequestException(`"${name}" is not a model name: expected gpt2-twitter-<category> or gpt2-twitter-<category>@<version>`);
}
