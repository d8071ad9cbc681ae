import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRefusals } from '@lifecycle/http';
import { endOf, parseIsoInstant } from '../domain/iso-instant';
import { SegmentError, SegmentErrorCode } from '../domain/segment-errors';
import { CreateSegmentBody, PageQuery, PreviewSegmentBody, ProgressQuery, SegmentParams, UpdateSegmentBody } from './dto/segment.request';
import {
  DeletedSegmentResponse,
  MembersPageResponse,
  PreviewResponse,
  ProgressResponse,
  SegmentListResponse,
  SegmentResponse,
} from './dto/segment.response';
import { DEFAULT_PAGE_SIZE, SegmentsService } from './segments.service';

const SEGMENT_LINKS = {
  GetSegment: { operationId: 'SegmentsController_get', parameters: { id: '$response.body#/id' } },
  UpdateSegment: { operationId: 'SegmentsController_update', parameters: { id: '$response.body#/id' } },
  DeleteSegment: { operationId: 'SegmentsController_delete', parameters: { id: '$response.body#/id' } },
  GetMembers: { operationId: 'SegmentsController_members', parameters: { id: '$response.body#/id' } },
  GetProgress: { operationId: 'SegmentsController_progress', parameters: { id: '$response.body#/id' } },
  GetMembershipJob: { operationId: 'JobStatusController_get', parameters: { jobId: '$response.body#/membershipJobId' } },
};

@ApiTags('segments')
@Controller('v1/segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Post()
  @ApiOperation({ summary: 'Save a segment (criteria validated and stored canonical); its membership is evaluated in a job' })
  @ApiCreatedResponse({ type: SegmentResponse, links: SEGMENT_LINKS })
  @ApiRefusals(422)
  create(@Body() body: CreateSegmentBody): Promise<SegmentResponse> {
    return this.segments.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Saved segments, by name' })
  @ApiOkResponse({ type: SegmentListResponse })
  list(@Query() query: PageQuery): Promise<SegmentListResponse> {
    return this.segments.list(query.page ?? 1, query.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Count and first members of a criteria tree, without saving it (S3)' })
  @ApiOkResponse({ type: PreviewResponse })
  @ApiRefusals(422)
  preview(@Body() body: PreviewSegmentBody): Promise<PreviewResponse> {
    return this.segments.preview(body.criteria, body.pageSize);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One saved segment' })
  @ApiOkResponse({ type: SegmentResponse })
  get(@Param() params: SegmentParams): Promise<SegmentResponse> {
    return this.segments.get(params.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, describe or change the criteria (membership re-evaluated in a job); publishes segment.saved' })
  @ApiOkResponse({ type: SegmentResponse })
  @ApiRefusals(409, 422)
  update(@Param() params: SegmentParams, @Body() body: UpdateSegmentBody): Promise<SegmentResponse> {
    return this.segments.update(params.id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a segment; its members leave it (segment.exited) in a job' })
  @ApiOkResponse({
    type: DeletedSegmentResponse,
    links: { GetMembershipJob: { operationId: 'JobStatusController_get', parameters: { jobId: '$response.body#/membershipJobId' } } },
  })
  delete(@Param() params: SegmentParams): Promise<DeletedSegmentResponse> {
    return this.segments.delete(params.id);
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'Members now, by account id, paged, with the total (S3)' })
  @ApiOkResponse({ type: MembersPageResponse })
  members(@Param() params: SegmentParams, @Query() query: PageQuery): Promise<MembersPageResponse> {
    return this.segments.members(params.id, query.page ?? 1, query.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  @Get(':id/progress')
  @ApiOperation({
    summary:
      'Progress board (S4): members by stage of an attribute in stage order plus "None", with days-in statistics; optionally as of a past date',
  })
  @ApiOkResponse({ type: ProgressResponse })
  @ApiRefusals(422)
  async progress(@Param() params: SegmentParams, @Query() query: ProgressQuery): Promise<ProgressResponse> {
    const view = await this.segments.progress(params.id, {
      attribute: query.attribute,
      asOf: asOfInstant(query.asOf),
      limitPerStage: query.limitPerStage,
    });
    return { ...view, at: view.at.toISOString(), asOf: view.asOf?.toISOString() ?? null };
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
