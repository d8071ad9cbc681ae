import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { MembershipSettingsRepository } from '../projection/membership-settings.repository';
import { MembershipJobs } from './membership-jobs.service';

/** S5 / L14: a new day may move accounts in or out of time-based segments without any event. */
@Controller()
export class DayRolledHandler {
  private readonly logger = new Logger(DayRolledHandler.name);

  constructor(
    private readonly jobs: MembershipJobs,
    private readonly settings: MembershipSettingsRepository,
  ) {}

  @OnEvent('day.rolled')
  async onDayRolled(@Payload() envelope: Envelope<'day.rolled'>): Promise<void> {
    if (!(await this.settings.isLive())) {
      this.logger.log(`day ${envelope.data.day} rolled while live membership is paused; the resume re-evaluates every segment`);
      return;
    }
    const jobId = await this.jobs.dayRolled(envelope.data.day);
    this.logger.log(`day ${envelope.data.day} rolled: time-based segments re-evaluated by ${jobId}`);
  }
}
