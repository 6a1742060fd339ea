import { BadRequestException, Body, ConflictException, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { categorySlug } from '@ttt/contracts';
import { ApiKeyGuard } from './api-key.guard.js';
import { CategoriesRepository, type CategoryRow, CategoryExistsError } from './categories.repository.js';
import { type HandleInput, handlesFromList, handlesFromText, type Platform } from './handle-input.js';
import { parseBody } from './request-body.js';
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
  async addSources(
    @Param('slug') slug: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Query('platform') platformQuery?: string,
  ) {
    let platform: Platform;
    let input: HandleInput;
    // The HTTP adapter reads a text/plain body as a string (up to 1 MiB, src/http/http-adapter.ts).
    if (/^text\/plain\b/i.test(contentType ?? '') && typeof body === 'string') {
      if (platformQuery !== undefined && platformQuery !== 'x' && platformQuery !== 'bluesky') {
        throw new BadRequestException('platform: expected "x" or "bluesky"');
      }
      platform = (platformQuery as Platform | undefined) ?? 'x';
      input = handlesFromText(platform, body);
    } else {
      const list = parseBody(addSourcesBody, body);
      platform = list.platform;
      input = handlesFromList(platform, list.handles);
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
