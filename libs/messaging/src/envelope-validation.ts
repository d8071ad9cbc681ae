import { EventEnvelopeDto, EVENTS, isEventType, type AnyEnvelope, type Topic } from '@lifecycle/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { InvalidMessageError } from './message-errors';

export const MAX_MESSAGE_BYTES = 1_000_000;

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/** Parses and validates one raw message of `topic`; throws `InvalidMessageError` with every reason. */
export function parseEnvelope(topic: Topic, raw: Buffer | null): AnyEnvelope {
  if (raw === null || raw.length === 0) throw new InvalidMessageError('empty message value');
  if (raw.length > MAX_MESSAGE_BYTES) {
    throw new InvalidMessageError(`message of ${raw.length} bytes exceeds the limit of ${MAX_MESSAGE_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new InvalidMessageError(`value is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidMessageError('value must be a JSON object (the event envelope)');
  }
  const envelope = plainToInstance(EventEnvelopeDto, json);
  const envelopeErrors = flatten(validateSync(envelope));
  if (envelopeErrors.length > 0) throw new InvalidMessageError('invalid event envelope', envelopeErrors);

  const type = envelope.type;
  if (!isEventType(type)) {
    throw new InvalidMessageError(`unknown event type "${type}"`);
  }
  const spec = EVENTS[type];
  if (spec.topic !== topic) {
    throw new InvalidMessageError(`event type "${type}" does not belong on topic "${topic}" (it belongs on "${spec.topic}")`);
  }
  if (envelope.version !== spec.version) {
    throw new InvalidMessageError(`unsupported version ${envelope.version} of "${type}"; supported: ${spec.version}`);
  }
  const data = plainToInstance(spec.data as new () => object, envelope.data);
  // Unknown fields in `data` are stripped, not rejected: readers tolerate additive changes.
  const dataErrors = flatten(validateSync(data, { whitelist: true, forbidUnknownValues: true }), 'data');
  if (dataErrors.length > 0) throw new InvalidMessageError(`invalid data of "${type}"`, dataErrors);

  return { ...envelope, type, data } as AnyEnvelope;
}
