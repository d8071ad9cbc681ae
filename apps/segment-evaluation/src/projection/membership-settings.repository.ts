import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Storage } from '@lifecycle/storage';

/**
 * `settings`, document `membership`: whether projection updates keep saved segments' membership
 * current (S5). Live by default; switched off while the projection is rebuilt from the topics
 * (replaying old events against today's clock would make accounts enter and leave segments they
 * were never in), and on again afterwards with a full re-evaluation (README).
 */
export const SETTINGS_COLLECTION = 'settings';
const MEMBERSHIP_SETTINGS_ID = 'membership';
const TTL_MS = 2_000;

interface SettingsDocument {
  _id: string;
  live: boolean;
  updatedAt: Date;
}

@Injectable()
export class MembershipSettingsRepository {
  private readonly collection: Collection<SettingsDocument>;
  private cached: { at: number; live: boolean } | null = null;

  constructor(storage: Storage) {
    this.collection = storage.collection<SettingsDocument>(SETTINGS_COLLECTION);
  }

  async isLive(): Promise<boolean> {
    if (this.cached !== null && Date.now() - this.cached.at < TTL_MS) return this.cached.live;
    const at = Date.now();
    const doc = await this.collection.findOne({ _id: String(MEMBERSHIP_SETTINGS_ID) });
    const live = doc?.live !== false;
    this.cached = { at, live };
    return live;
  }

  async setLive(live: boolean): Promise<void> {
    await this.collection.updateOne({ _id: MEMBERSHIP_SETTINGS_ID }, { $set: { live, updatedAt: new Date() } }, { upsert: true });
    this.cached = { at: Date.now(), live };
  }
}
