/** The queue contract on the in-process queue of the embedded default. */
import { describe } from 'node:test';
import { createMemoryQueue } from '../../memory/queue.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { queueContract, type Job } from '../integration/queue-contract.ts';

describe('in-process queue', () => {
  queueContract(async (policy) => ({
    queue: createMemoryQueue<Job>({ name: 'contract', logger: recordingLogger(), policy }),
    cleanup: async () => {},
  }));
});
