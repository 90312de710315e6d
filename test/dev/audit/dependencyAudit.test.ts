import { strict as assert } from 'node:assert';
import { describeVerdict, judgeAudit } from '../../../dev/audit/dependencyAudit';

/** An `npm audit --json` report (format 2) with these vulnerabilities. */
function report(vulnerabilities: Record<string, unknown>): string {
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 1, moderate: 0, high: 0, critical: 1, total: 2 } },
  });
}

const criticalInFormidable = {
  formidable: {
    name: 'formidable',
    severity: 'critical',
    via: [
      { source: 1, name: 'formidable', title: 'Arbitrary File Upload in formidable', severity: 'critical' },
    ],
  },
  // restify is listed only because it depends on formidable.
  restify: { name: 'restify', severity: 'critical', via: ['formidable'] },
  send: {
    name: 'send',
    severity: 'low',
    via: [{ source: 2, name: 'send', title: 'template injection', severity: 'low' }],
  },
};

describe('dependency audit (npm run audit:deps)', () => {
  it('fails on a high or critical advisory that nobody reviewed, naming the package once', () => {
    const verdict = judgeAudit(report(criticalInFormidable), []);
    assert.equal(verdict.kind, 'failed');
    assert.deepEqual(
      verdict.kind === 'failed' && verdict.findings.map((finding) => [finding.package, finding.severity]),
      [['formidable', 'critical']],
    );
    assert.match(describeVerdict(verdict), /critical in formidable: Arbitrary File Upload/);
  });

  it('passes when every high or critical advisory is on the reviewed list, printing the reason', () => {
    const verdict = judgeAudit(report(criticalInFormidable), [
      { package: 'formidable', reason: 'the multipart parser is never registered' },
    ]);
    assert.equal(verdict.kind, 'clean');
    assert.match(
      describeVerdict(verdict),
      /accepted critical in formidable: the multipart parser is never registered/,
    );
  });

  it('ignores low and moderate advisories', () => {
    assert.equal(judgeAudit(report({ send: criticalInFormidable.send }), []).kind, 'clean');
  });

  it('says so, without failing, when the audit service could not be reached', () => {
    const verdict = judgeAudit(
      JSON.stringify({
        message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
        statusCode: 405,
      }),
      [],
    );
    assert.deepEqual(verdict, {
      kind: 'unavailable',
      reason: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
    });
    assert.match(describeVerdict(verdict), /could not be judged .*not checked here/);
  });
});
