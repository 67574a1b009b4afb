import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { clientStatus, clientVerdict } from '../../core/client-status.ts';

const RANK = { healthy: 0, unknown: 1, warning: 2, critical: 3 } as const;
const counts = fc.record({ healthy: fc.nat(50), warning: fc.nat(5), critical: fc.nat(5), unknown: fc.nat(5) }).map((c) => ({ ...c }));

describe("a client's badge verdict", () => {
  test('is never Healthy while a device is outside its SLA, and never better than the worst device', () => {
    fc.assert(
      fc.property(counts, fc.nat(10), (c, breach) => {
        const verdict = clientVerdict(c, { breach });
        if (breach > 0) assert.notEqual(verdict.status, 'healthy');
        assert.ok(RANK[verdict.status] >= RANK[clientStatus(c)]);
        assert.equal(verdict.needAttention, c.warning + c.critical + c.unknown);
        assert.equal(verdict.outsideSla, breach);
      }),
      { numRuns: 1000 },
    );
  });

  test('all healthy and inside the SLA is Healthy; a breach among healthy devices is Warning; critical stays critical', () => {
    assert.equal(clientVerdict({ healthy: 4, warning: 0, critical: 0, unknown: 0 }, { breach: 0 }).status, 'healthy');
    assert.equal(clientVerdict({ healthy: 4, warning: 0, critical: 0, unknown: 0 }, { breach: 5 }).status, 'warning');
    assert.equal(clientVerdict({ healthy: 4, warning: 0, critical: 1, unknown: 0 }, { breach: 5 }).status, 'critical');
  });
});
