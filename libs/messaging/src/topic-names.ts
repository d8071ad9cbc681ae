import { deadLetterTopic, type Topic } from '@lifecycle/contracts';

/** Physical topic names: the contract name behind an optional prefix (test-run or tenant isolation). */
export class TopicNames {
  constructor(private readonly prefix: string) {}

  physical(topic: Topic): string {
    return `${this.prefix}${topic}`;
  }

  deadLetter(topic: Topic): string {
    return `${this.prefix}${deadLetterTopic(topic)}`;
  }

  logical(physical: string): Topic | null {
    if (!physical.startsWith(this.prefix)) return null;
    return physical.slice(this.prefix.length) as Topic;
  }
}
