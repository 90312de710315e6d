/**
 * `npm run audit:deps`: runs `npm audit --omit=dev --json` and fails when a production dependency has a high or
 * critical advisory that is not on the reviewed list (`security/accepted-advisories.json`, each entry with the
 * reason it cannot be reached). When the registry's audit service cannot be reached (some proxies answer 405),
 * it says so and does not fail: docs/security.md (Dependencies) records the manual review.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/** A reviewed advisory: the package it is in and why it cannot be reached from the bot. */
export interface AcceptedAdvisory {
  package: string;
  reason: string;
}

/** The verdict on one audit report. */
export type AuditVerdict =
  | { kind: 'clean'; counts: Record<string, number>; accepted: AcceptedFinding[] }
  | { kind: 'failed'; findings: AuditFinding[]; accepted: AcceptedFinding[] }
  | { kind: 'unavailable'; reason: string };

/** A high or critical advisory found in a production dependency. */
export interface AuditFinding {
  package: string;
  severity: string;
  titles: string[];
}

/** A finding that matched the reviewed list. */
export interface AcceptedFinding extends AuditFinding {
  reason: string;
}

const BLOCKING_SEVERITIES = new Set(['high', 'critical']);

/**
 * Judges the JSON `npm audit --json` printed (report format 2). Only high and critical findings block; a finding
 * whose package is on the reviewed list is reported with its reason instead.
 */
export function judgeAudit(reportJson: string, accepted: readonly AcceptedAdvisory[]): AuditVerdict {
  let report: unknown;
  try {
    report = JSON.parse(reportJson);
  } catch {
    return { kind: 'unavailable', reason: 'npm audit printed no JSON report' };
  }
  if (!isRecord(report)) return { kind: 'unavailable', reason: 'npm audit printed no JSON report' };
  const vulnerabilities = report.vulnerabilities;
  const metadata = report.metadata;
  if (!isRecord(vulnerabilities) || !isRecord(metadata)) {
    const message = typeof report.message === 'string' ? report.message : 'no vulnerabilities section';
    return { kind: 'unavailable', reason: message };
  }
  // A package listed only because it depends on a vulnerable one (its `via` holds names, not advisories) is
  // judged through that dependency, so one advisory is counted once.
  const findings: AuditFinding[] = [];
  for (const [name, entry] of Object.entries(vulnerabilities)) {
    const via: unknown[] = isRecord(entry) && Array.isArray(entry.via) ? entry.via : [];
    const advisories = via.filter(
      (item): item is Record<string, unknown> =>
        isRecord(item) && typeof item.severity === 'string' && BLOCKING_SEVERITIES.has(item.severity),
    );
    if (advisories.length === 0) continue;
    findings.push({
      package: name,
      severity: advisories.some((item) => item.severity === 'critical') ? 'critical' : 'high',
      titles: advisories.map((item) => (typeof item.title === 'string' ? item.title : 'untitled advisory')),
    });
  }
  const reasons = new Map(accepted.map((advisory) => [advisory.package, advisory.reason]));
  const acceptedFindings = findings.flatMap((finding) => {
    const reason = reasons.get(finding.package);
    return reason === undefined ? [] : [{ ...finding, reason }];
  });
  const blocking = findings.filter((finding) => !reasons.has(finding.package));
  if (blocking.length > 0) return { kind: 'failed', findings: blocking, accepted: acceptedFindings };
  const counts = isRecord(metadata.vulnerabilities) ? metadata.vulnerabilities : {};
  return {
    kind: 'clean',
    counts: Object.fromEntries(
      Object.entries(counts).filter((pair): pair is [string, number] => typeof pair[1] === 'number'),
    ),
    accepted: acceptedFindings,
  };
}

/** One line per finding and a verdict line, for the terminal. */
export function describeVerdict(verdict: AuditVerdict): string {
  const accepted = verdict.kind === 'unavailable' ? [] : verdict.accepted;
  const lines = accepted.map(
    (finding) => `accepted ${finding.severity} in ${finding.package}: ${finding.reason}`,
  );
  switch (verdict.kind) {
    case 'clean':
      lines.push(
        `npm audit --omit=dev: no unreviewed high or critical advisory (${Object.entries(verdict.counts)
          .map(([severity, count]) => `${severity} ${count}`)
          .join(', ')})`,
      );
      break;
    case 'failed':
      for (const finding of verdict.findings) {
        lines.push(
          `${finding.severity} in ${finding.package}: ${finding.titles.join('; ') || 'see npm audit'}`,
        );
      }
      lines.push(
        'npm audit --omit=dev: unreviewed high or critical advisories; fix them, or add each to security/accepted-advisories.json with the reason it cannot be reached',
      );
      break;
    case 'unavailable':
      lines.push(
        `npm audit --omit=dev could not be judged (${verdict.reason}); not checked here — see docs/security.md (Dependencies)`,
      );
      break;
  }
  return `${lines.join('\n')}\n`;
}

/** The repository root, from build/dev/audit. */
const PROJECT_ROOT = path.resolve(__dirname, '../../..');

async function main(): Promise<void> {
  const accepted = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'security', 'accepted-advisories.json'), 'utf8'),
  ) as AcceptedAdvisory[];
  // npm audit exits 1 when it finds anything; the JSON on stdout is what counts.
  const output = await promisify(execFile)('npm', ['audit', '--omit=dev', '--json'], {
    cwd: PROJECT_ROOT,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    (result) => result.stdout,
    (error: unknown) =>
      typeof error === 'object' && error !== null && 'stdout' in error ? String(error.stdout) : '',
  );
  const verdict = judgeAudit(output, accepted);
  process.stdout.write(describeVerdict(verdict));
  if (verdict.kind === 'failed') process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `dependency audit failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
