/**
 * `attributes`: this service's replica of the catalog's attributes (A6: event-carried state), one
 * document per attribute key, the highest `version` seen. Rebuilt from `lifecycle.attributes`
 * alone: the consumer reads the topic from the beginning on a fresh database.
 */
export const ATTRIBUTE_REPLICA_COLLECTION = 'attributes';

export interface ReplicatedStage {
  id: string;
  name: string;
  color: string;
  order: number;
  endStage: boolean;
  disabled: boolean;
}

export interface AttributeReplicaDocument {
  _id: string;
  key: string;
  name: string;
  description: string | null;
  flow: string | null;
  state: 'draft' | 'active';
  version: number;
  stages: ReplicatedStage[];
  /** The catalog's time of the change. */
  updatedAt: string;
  replicatedAt: Date;
}
