import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isDemoted, outcomeOfError } from './outcome.js';

describe('outcomes of Redis errors', () => {
  it('an error the server answered is fail: it did not act', () => {
    for (const m of [
      'NOREPLICAS Not enough good replicas to write.',
      "READONLY You can't write against a read only replica.",
      'EXECABORT Transaction discarded because of previous errors.',
      'LOADING Redis is loading the dataset in memory',
    ]) {
      expect(outcomeOfError(new ReplyError(m))).toEqual({ type: 'fail', error: m });
    }
  });

  it('a command ioredis refused to write (offline queue off, connection not writable) is fail', () => {
    const o = outcomeOfError(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
    expect(o.type).toBe('fail');
  });

  it('a timeout, or a connection lost after the command was written, is info', () => {
    for (const m of [
      'Command timed out',
      'Connection is closed.',
      'Reached the max retries per request limit (which is 0). Refer to "maxRetriesPerRequest" option for details.',
      'Command aborted due to connection close',
      'read ECONNRESET',
    ]) {
      expect(outcomeOfError(new Error(m))).toEqual({ type: 'info', error: `sent, no reply: ${m}` });
    }
  });

  it('READONLY, alone or behind EXECABORT, says the node was demoted', () => {
    expect(isDemoted(new ReplyError("READONLY You can't write against a read only replica."))).toBe(true);
    const abort = Object.assign(new ReplyError('EXECABORT Transaction discarded because of previous errors.'), {
      previousErrors: [new ReplyError("READONLY You can't write against a read only replica.")],
    });
    expect(isDemoted(abort)).toBe(true);
    expect(isDemoted(new ReplyError('NOREPLICAS Not enough good replicas to write.'))).toBe(false);
    expect(isDemoted(new Error('READONLY but not a reply'))).toBe(false);
  });
});
