import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InternalError, SetupError, UsageError } from './errors.js';
import { describeError } from './exit.js';

describe('describeError', () => {
  it('gives an error the user can act on as one line, exit 2', () => {
    expect(describeError(new UsageError("unknown target 'nope'"))).toEqual({ line: "harness: unknown target 'nope'", status: 2 });
    expect(describeError(new SetupError('the local provisioner needs root')).status).toBe(2);
  });

  it('gives a bug of the harness as one line, exit 2 (never 1), with the stack in a log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crash-'));
    try {
      const { line, status } = describeError(new TypeError("cannot read properties of undefined (reading 'x')"), dir);
      expect(status).toBe(2);
      expect(line).not.toContain('\n');
      const log = /stack in (.+)\)$/.exec(line)![1]!;
      expect(line).toMatch(/^harness: internal error: cannot read properties of undefined/);
      expect(readFileSync(log, 'utf8')).toMatch(/TypeError: cannot read properties[^\n]*\n\s+at /);
      expect(describeError(new InternalError('the run stopped on an error: boom', '/store/run/harness.log')).line).toBe(
        'harness: internal error: the run stopped on an error: boom (stack in /store/run/harness.log)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
