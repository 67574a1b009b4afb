/**
 * A device's plan: what one evaluation decides, as a value the BFF applies.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SLA, evaluateAlerts, evaluateHealth, evaluateSla, nextEvaluationAt, NEVER, planEvaluation, planRetirement, RETIRED_REASON, type PlanInput } from '../../core/index.ts';
import { device, failure, history, hoursAgo, NOW } from './builders.ts';

const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  device: device({ kind: 'server', intervalHours: 4 }),
  state: history(failure(hoursAgo(2)), failure(hoursAgo(1))),
  sla: { ...DEFAULT_SLA },
  active: [],
  ...overrides,
});

describe('device plans', () => {
  test("an evaluation's plan is core's health, SLA state, alert transitions and next evaluation time", () => {
    const given = input();
    const plan = planEvaluation(given, NOW);
    assert.deepEqual(plan.health, evaluateHealth(given.device, given.state, NOW));
    assert.deepEqual(plan.sla, evaluateSla('server', given.state, given.sla, NOW));
    assert.deepEqual(plan.transitions, evaluateAlerts(given, NOW));
    assert.equal(plan.nextEvaluationAt, nextEvaluationAt(given, NOW));
    assert.equal(plan.retired, false);
  });

  test('an alert that stays active takes its condition’s new wording', () => {
    const plan = planEvaluation(input({ active: [{ type: 'backup_failed', severity: 'warning', state: 'open', reason: 'Last backup failed at …' }] }), NOW);
    assert.deepEqual(plan.transitions, []);
    assert.equal(plan.rewordings.length, 1);
    assert.match(plan.rewordings[0]!.reason, /^2 consecutive failures since/);
  });

  test('an alert whose wording still holds is not reworded', () => {
    const reason = planEvaluation(input({ active: [{ type: 'backup_failed', severity: 'warning', state: 'open', reason: '' }] }), NOW).rewordings[0]!.reason;
    assert.deepEqual(planEvaluation(input({ active: [{ type: 'backup_failed', severity: 'warning', state: 'open', reason }] }), NOW).rewordings, []);
  });

  test('a retirement resolves every active alert as "Device retired" and is never evaluated again', () => {
    const plan = planRetirement(
      input({ active: [{ type: 'backup_failed', severity: 'warning', state: 'acknowledged', reason: 'x' }, { type: 'dr_test_failed', severity: 'critical', state: 'open', reason: 'y' }] }),
      NOW,
    );
    assert.deepEqual(plan.transitions, [
      { action: 'resolve', type: 'backup_failed', at: NOW, reason: RETIRED_REASON },
      { action: 'resolve', type: 'dr_test_failed', at: NOW, reason: RETIRED_REASON },
    ]);
    assert.equal(plan.nextEvaluationAt, NEVER);
    assert.equal(plan.retired, true);
  });
});
