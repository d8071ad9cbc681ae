/** A stage as the rules see it (A1/A2): where it sits in the order and whether it ends a cycle. */
export interface LifecycleStage {
  id: string;
  order: number;
  endStage: boolean;
}

/** Stages by `order`; equal orders keep their declared position (Array.prototype.sort is stable). */
export function stagesInOrder<S extends LifecycleStage>(stages: readonly S[]): S[] {
  return [...stages].sort((a, b) => a.order - b.order);
}
