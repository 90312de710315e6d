import { strict as assert } from 'node:assert';
import { cpuDelta, cpuPerTurn } from '../../bench';

describe('bench CPU per answered turn', () => {
  it('takes the difference of two cpuUsage readings field by field', () => {
    assert.deepEqual(cpuDelta({ user: 1_000, system: 500 }, { user: 4_500, system: 1_700 }), {
      user: 3_500,
      system: 1_200,
    });
  });

  it('divides user + system by the answered turns and subtracts the load generator’s share', () => {
    // 300 ms user + 100 ms system over 2 s for 100 answers; the load generator used 50 ms for its POSTs.
    const cpu = cpuPerTurn({ user: 300_000, system: 100_000 }, 2000, 100, 50_000);
    assert.equal(cpu.grossMsPerTurn, 4);
    assert.equal(cpu.loadGeneratorMsPerTurn, 0.5);
    assert.equal(cpu.botMsPerTurn, 3.5);
    assert.equal(cpu.coresBusy, 0.2);
    assert.equal(cpu.userMicros, 300_000);
    assert.equal(cpu.systemMicros, 100_000);
    assert.equal(cpu.loadGeneratorMicros, 50_000);
    assert.equal(cpu.answeredTurns, 100);
    assert.equal(cpu.windowMs, 2000);
  });

  it('counts system time, not only user time', () => {
    assert.equal(cpuPerTurn({ user: 0, system: 8_000 }, 1000, 4, 0).botMsPerTurn, 2);
  });

  it('reports no per-turn figure when nothing was answered, and no bot share without the load generator’s', () => {
    const none = cpuPerTurn({ user: 10_000, system: 0 }, 1000, 0, 1_000);
    assert.equal(none.grossMsPerTurn, undefined);
    assert.equal(none.botMsPerTurn, undefined);
    assert.equal(none.coresBusy, 0.01);
    const unmeasured = cpuPerTurn({ user: 10_000, system: 0 }, 1000, 5, undefined);
    assert.equal(unmeasured.grossMsPerTurn, 2);
    assert.equal(unmeasured.botMsPerTurn, undefined);
    assert.equal('loadGeneratorMicros' in unmeasured, false);
  });

  it('never reports a negative bot share', () => {
    assert.equal(cpuPerTurn({ user: 1_000, system: 0 }, 1000, 1, 5_000).botMsPerTurn, 0);
  });
});
