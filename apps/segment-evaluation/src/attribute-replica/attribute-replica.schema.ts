/**
 * `attributes`: this service's replica of the catalog (A6: event-carried state), one document
 * per attribute key, the highest `version` seen. It is the criteria catalog (stage names → ids,
 * S1) and gives the progress view and the report their stage order. Rebuilt from
 * `lifecycle.attributes` alone.
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
  state: 'draft' | 'active';
  version: number;
  stages: ReplicatedStage[];
  /** The catalog's time of the change. */
  updatedAt: string;
  replicatedAt: Date;
}
