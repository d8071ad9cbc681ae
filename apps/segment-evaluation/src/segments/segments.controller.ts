import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { endOf, parseIsoInstant } from '../domain/iso-instant';
import { SegmentError, SegmentErrorCode } from '../domain/segment-errors';
import { CreateSegmentDto, PageQuery, PreviewSegmentDto, ProgressQuery, SegmentIdParams, UpdateSegmentDto } from './dto/segment-input.dto';
import { DeletedSegmentView, MembersView, PreviewView, SegmentListView, SegmentView } from './dto/segment.response';
import { DEFAULT_PAGE_SIZE, SegmentsService, type ProgressView } from './segments.service';

@ApiTags('segments')
@Controller('v1/segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Post()
  @ApiOperation({ summary: 'Save a segment (criteria validated and stored canonical); its membership is evaluated in a job' })
  @ApiOkResponse({ type: SegmentView })
  @ApiBadRequestResponse({ description: 'Invalid criteria; `details` lists every problem with its path.' })
  create(@Body() body: CreateSegmentDto): Promise<SegmentView> {
    return this.segments.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Saved segments, by name' })
  @ApiOkResponse({ type: SegmentListView })
  list(@Query() query: PageQuery): Promise<SegmentListView> {
    return this.segments.list(query.page ?? 1, query.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Count and first members of a criteria tree, without saving it (S3)' })
  @ApiOkResponse({ type: PreviewView })
  @ApiBadRequestResponse({ description: 'Invalid criteria; `details` lists every problem with its path.' })
  preview(@Body() body: PreviewSegmentDto): Promise<PreviewView> {
    return this.segments.preview(body.criteria, body.pageSize);
  }

  @Get(':id')
  @ApiOkResponse({ type: SegmentView })
  @ApiNotFoundResponse()
  get(@Param() params: SegmentIdParams): Promise<SegmentView> {
    return this.segments.get(params.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, describe or change the criteria (membership re-evaluated in a job)' })
  @ApiOkResponse({ type: SegmentView })
  @ApiNotFoundResponse()
  update(@Param() params: SegmentIdParams, @Body() body: UpdateSegmentDto): Promise<SegmentView> {
    return this.segments.update(params.id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a segment; its members leave it (segment.exited) in a job' })
  @ApiOkResponse({ type: DeletedSegmentView })
  @ApiNotFoundResponse()
  delete(@Param() params: SegmentIdParams): Promise<DeletedSegmentView> {
    return this.segments.delete(params.id);
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'Members now, by account id, paged, with the total (S3)' })
  @ApiOkResponse({ type: MembersView })
  @ApiNotFoundResponse()
  members(@Param() params: SegmentIdParams, @Query() query: PageQuery): Promise<MembersView> {
    return this.segments.members(params.id, query.page ?? 1, query.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  @Get(':id/progress')
  @ApiOperation({
    summary:
      'Progress board (S4): members by stage of an attribute in stage order plus "None", with days-in statistics; optionally as of a past date',
  })
  @ApiNotFoundResponse({ description: 'Unknown segment or attribute.' })
  progress(@Param() params: SegmentIdParams, @Query() query: ProgressQuery): Promise<ProgressView> {
    return this.segments.progress(params.id, {
      attribute: query.attribute,
      asOf: asOfInstant(query.asOf),
      limitPerStage: query.limitPerStage,
    });
  }
}

/** A date alone means the end of that UTC day ("today" is the board now); a future instant is refused later. */
function asOfInstant(asOf: string | undefined): Date | undefined {
  if (asOf === undefined) return undefined;
  const parsed = parseIsoInstant(asOf);
  if (parsed === null) {
    throw new SegmentError(SegmentErrorCode.InvalidAsOf, `asOf "${asOf}" is not a valid date or date-time`, [
      { path: 'asOf', message: 'not a valid date' },
    ]);
  }
  if (!parsed.dateOnly || parsed.at.getTime() > Date.now()) return parsed.at;
  return new Date(Math.min(endOf(parsed).getTime() - 1, Date.now()));
}
