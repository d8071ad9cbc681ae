import { Injectable } from '@nestjs/common';
import { MS_PER_DAY } from '@lifecycle/rules';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { endOf, parseIsoInstant } from '../domain/iso-instant';
import { LifecycleReportBuilder, type LifecycleReport, type ReportCodes, type ReportInterval } from '../domain/lifecycle-report';
import { SegmentError, SegmentErrorCode } from '../domain/segment-errors';
import { EvaluationIndexService } from '../evaluation-index/evaluation-index.service';

export interface LifecycleReportCommand {
  attribute: string;
  from?: string;
  to?: string;
  interval?: ReportInterval;
}

const DEFAULT_WINDOW_DAYS = 90;

/** The lifecycle report, from the projection's transitions as the evaluation index holds them (see lifecycle-report.ts). */
@Injectable()
export class LifecycleReportService {
  constructor(
    private readonly replica: AttributeReplicaRepository,
    private readonly index: EvaluationIndexService,
  ) {}

  async report(command: LifecycleReportCommand, now = new Date()): Promise<LifecycleReport> {
    const attribute = await this.replica.get(command.attribute);
    if (attribute === undefined) {
      throw new SegmentError(SegmentErrorCode.UnknownAttribute, `Unknown attribute "${command.attribute}"`, [
        { path: 'attribute', message: `no attribute "${command.attribute}" in the catalog` },
      ]);
    }
    const to = command.to === undefined ? now : instant(command.to, 'to', true);
    const from =
      command.from === undefined ? new Date(to.getTime() - DEFAULT_WINDOW_DAYS * MS_PER_DAY) : instant(command.from, 'from', false);
    if (from.getTime() >= to.getTime()) throw invalid('to', '"to" must be after "from"');
    const builder = new LifecycleReportBuilder({
      attribute: attribute.key,
      stages: attribute.stages,
      from,
      to,
      interval: command.interval ?? defaultInterval(from, to),
    });
    let codes: ReportCodes | null = null;
    this.index.require().forEachHistory(
      attribute.key,
      (idOfCode) => (codes = builder.codesOf(idOfCode)),
      (at, stages, start, count) => builder.addRun(codes!, at, stages, start, count),
    );
    return builder.build();
  }
}

function defaultInterval(from: Date, to: Date): ReportInterval {
  const days = (to.getTime() - from.getTime()) / MS_PER_DAY;
  return days <= 62 ? 'day' : days <= 730 ? 'week' : 'month';
}

/** A date is a UTC day: its start for `from`, the next day's start for the exclusive `to`. */
function instant(value: string, path: 'from' | 'to', end: boolean): Date {
  const parsed = parseIsoInstant(value);
  if (parsed === null) throw invalid(path, `"${value}" is not a valid date or date-time`);
  return end ? endOf(parsed) : parsed.at;
}

function invalid(path: string, message: string): SegmentError {
  return new SegmentError(SegmentErrorCode.InvalidReportQuery, `Invalid report query — ${path}: ${message}`, [{ path, message }]);
}
