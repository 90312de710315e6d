import { strict as assert } from 'node:assert';
import {
  botProcessesCpuPerTurn,
  cpuBetween,
  parseProcStat,
  parseVmRssBytes,
  parseWorkerLoopDelay,
  processTreeOf,
  ticksToMicros,
  worstWorkerLoopDelay,
  type ProcStat,
  type WorkerLoopDelay,
} from '../../bench';

/** A /proc/<pid>/stat line as Linux writes it (here a node worker: utime 1234, stime 56 ticks). */
const NODE_STAT =
  '12392 (node) S 12351 12351 6933 0 -1 4194560 51327 0 0 0 1234 56 0 0 20 0 11 0 1263286 1252155392 52011 ' +
  '18446744073709551615 1 1 0 0 0 0 0 4096 17408 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0';

function stat(pid: number, ppid: number, utimeTicks = 0, stimeTicks = 0): ProcStat {
  return { pid, ppid, utimeTicks, stimeTicks };
}

describe('bench /proc reading (cluster pass)', () => {
  it('reads pid, parent, user and system ticks from a stat line', () => {
    assert.deepEqual(parseProcStat(NODE_STAT), { pid: 12392, ppid: 12351, utimeTicks: 1234, stimeTicks: 56 });
  });

  it('counts the fields from the last parenthesis, so a name with spaces and parentheses does not shift them', () => {
    const odd = NODE_STAT.replace('(node)', '(a (weird) name)');
    assert.deepEqual(parseProcStat(odd), { pid: 12392, ppid: 12351, utimeTicks: 1234, stimeTicks: 56 });
  });

  it('gives undefined for text that is not a stat line', () => {
    assert.equal(parseProcStat(''), undefined);
    assert.equal(parseProcStat('12 (node) S'), undefined);
  });

  it('reads VmRSS in bytes from a status file', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1300000 kB\nVmRSS:\t  208044 kB\nRssAnon:\t  150000 kB\n';
    assert.equal(parseVmRssBytes(status), 208044 * 1024);
    assert.equal(parseVmRssBytes('Name:\tkthreadd\n'), undefined);
  });

  it('finds the primary, its workers and their children, not its siblings', () => {
    const stats = [stat(1, 0), stat(100, 1), stat(300, 100), stat(200, 100), stat(250, 200), stat(400, 1)];
    assert.deepEqual(processTreeOf(100, stats), [100, 200, 250, 300]);
    assert.deepEqual(processTreeOf(999, stats), [999]);
  });

  it('adds up the CPU between two readings in µs, leaving out a process seen only once', () => {
    const before = new Map([
      [100, stat(100, 1, 10, 5)],
      [200, stat(200, 100, 1000, 50)],
      [300, stat(300, 100, 7, 7)],
    ]);
    const after = new Map([
      [100, stat(100, 1, 12, 5)],
      [200, stat(200, 100, 1150, 60)],
      [400, stat(400, 100, 999, 999)],
    ]);
    // 100 ticks/s: one tick is 10 ms.
    assert.deepEqual(cpuBetween(before, after, 100), { user: 152 * 10_000, system: 10 * 10_000 });
    assert.equal(ticksToMicros(3, 250), 12_000);
  });

  it('takes the bot processes’ CPU per turn as it is, with no load generator share', () => {
    const cpu = botProcessesCpuPerTurn({ user: 1_310_000, system: 100_000 }, 5000, 40);
    assert.equal(cpu.source, 'bot processes');
    assert.equal(cpu.botMsPerTurn, 35.25);
    assert.equal(cpu.grossMsPerTurn, 35.25);
    assert.equal(cpu.loadGeneratorMsPerTurn, undefined);
    assert.equal(cpu.coresBusy, 0.282);
    assert.equal(botProcessesCpuPerTurn({ user: 1, system: 1 }, 100, 0).botMsPerTurn, undefined);
  });
});

describe('bench worker event-loop reports (cluster pass)', () => {
  const report = (pid: number, p99Ms: number, maxMs: number): WorkerLoopDelay => ({
    pid,
    resolutionMs: 10,
    p50Ms: 1,
    p99Ms,
    maxMs,
    intervalP99Ms: p99Ms + 10,
  });

  it('reads a probe’s report and refuses an incomplete one', () => {
    assert.deepEqual(parseWorkerLoopDelay(JSON.stringify(report(7, 20, 30))), report(7, 20, 30));
    assert.equal(parseWorkerLoopDelay('{"pid":7,"p99Ms":20}'), undefined);
    assert.equal(parseWorkerLoopDelay('{"pid":7,'), undefined);
  });

  it('shows the worst worker’s figures, and nothing without reports', () => {
    const worst = worstWorkerLoopDelay([report(1, 49.6, 80), report(2, 19.6, 274.4)]);
    assert.equal(worst?.p99Ms, 49.6);
    assert.equal(worst?.maxMs, 274.4);
    assert.equal(worstWorkerLoopDelay([]), undefined);
  });
});
