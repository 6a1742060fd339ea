import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { categorySlug } from '@ttt/contracts';
import type { Request } from 'express';
import { ApiKeyGuard } from './api-key.guard.js';
import { CategoriesRepository, type CategoryRow, CategoryExistsError } from './categories.repository.js';
import { type HandleInput, handlesFromList, handlesFromText, type Platform } from './handle-input.js';
import { parseBody, readTextBody } from './request-body.js';
import { addSourcesBody, createCategoryBody } from './schemas.js';
import { type SourceRow, SourcesRepository } from './sources.repository.js';

@Controller('admin/categories')
@UseGuards(ApiKeyGuard)
export class CategoriesController {
  constructor(
    private readonly categories: CategoriesRepository,
    private readonly sources: SourcesRepository,
  ) {}

  @Get()
  list(): Promise<CategoryRow[]> {
    return this.categories.list();
  }

  @Post()
  async create(@Body() body: unknown): Promise<CategoryRow> {
    const input = parseBody(createCategoryBody, body);
    try {
      return await this.categories.create(input);
    } catch (error) {
      if (error instanceof CategoryExistsError) throw new ConflictException(error.message);
      throw error;
    }
  }

  @Get(':slug/sources')
  async listSources(@Param('slug') slug: string): Promise<SourceRow[]> {
    return this.sources.listForCategory(await this.categoryId(slug));
  }

  /**
   * JSON `{platform?, handles}`, or a text/plain handle list in the sources/<name>.txt format
   * (`?platform=bluesky` for Bluesky handles).
   */
  @Post(':slug/sources')
  @HttpCode(200)
  async addSources(@Param('slug') slug: string, @Req() request: Request, @Query('platform') platformQuery?: string) {
    let platform: Platform;
    let input: HandleInput;
    if (request.is('text/plain')) {
      if (platformQuery !== undefined && platformQuery !== 'x' && platformQuery !== 'bluesky') {
        throw new BadRequestException('platform: expected "x" or "bluesky"');
      }
      platform = (platformQuery as Platform | undefined) ?? 'x';
      const text = await readTextBody(request);
      input = handlesFromText(platform, text);
    } else {
      const body = parseBody(addSourcesBody, request.body);
      platform = body.platform;
      input = handlesFromList(platform, body.handles);
    }
    const categoryId = await this.categoryId(slug);
    const added = input.handles.length ? await this.sources.add(categoryId, platform, input.handles) : 0;
    return { added, alreadyPresent: input.handles.length - added, invalid: input.invalid };
  }

  private async categoryId(slug: string): Promise<number> {
    // Not a slug (a NUL, which Postgres refuses as a parameter, or anything else): no such category.
    const id = categorySlug.safeParse(slug).success ? await this.categories.findId(slug) : null;
    if (id === null) throw new NotFoundException(`category ${slug} does not exist`);
    return id;
  }
}
