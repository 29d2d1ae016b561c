/**
 * Delivery marks in memory: for tests of the outbound handler and of queues without a database.
 * A process restart forgets them, so production uses db/delivery-marks.ts.
 */
import type { DeliveryMarks } from '../core/ports.ts';

export function createMemoryDeliveryMarks(): DeliveryMarks & { readonly ids: ReadonlySet<string> } {
  const ids = new Set<string>();
  return {
    ids,
    has: async (id) => ids.has(id),
    mark: async (id) => void ids.add(id),
  };
}
