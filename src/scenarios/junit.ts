import { basename, extname } from 'node:path';
import { formatFailures, summarize, totals, type TestReport } from './report.ts';

// JUnit XML, the format every CI system reads: one <testcase> per scenario. With --repeat
// a scenario fails when any run failed, and its message gives the pass rate.

/** The report as JUnit XML. */
export function junitXml(report: TestReport, at: Date = new Date()): string {
  const t = totals(report);
  const time = (ms: number) => (ms / 1000).toFixed(3);
  const cases = report.outcomes.map((o) => {
    const s = summarize(o);
    const ms = o.runs.reduce((n, r) => n + r.durationMs, 0);
    const head = `    <testcase classname="${attr(`${report.agent}.${basename(o.file, extname(o.file))}`)}" name="${attr(o.name)}" file="${attr(o.file)}" time="${time(ms)}"`;
    if (s.status === 'passed') return `${head}/>`;
    if (s.status === 'skipped') return `${head}>\n      <skipped message="${attr(o.runs[0]?.skipReason ?? 'skipped')}"/>\n    </testcase>`;
    const run = o.runs.find((r) => r.status === 'failed')!;
    const first = run.failures[0];
    const rate = o.runs.length > 1 ? ` (${s.passed}/${s.ran} runs passed)` : '';
    const message = `${first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : 'failed'}${rate}`;
    return `${head}>\n      <failure message="${attr(message)}" type="expectation">${text(formatFailures(run).join('\n'))}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="parley test" tests="${t.scenarios}" failures="${t.failed}" skipped="${t.skipped}" time="${time(report.durationMs)}">`,
    `  <testsuite name="${attr(report.agent)}" tests="${t.scenarios}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="${time(report.durationMs)}" timestamp="${at.toISOString().slice(0, 19)}">`,
    `    <properties><property name="agentVersion" value="${attr(report.version)}"/><property name="repeat" value="${report.repeat}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The report as JSON: totals, and per scenario its pass rate and every run in full. */
export function reportJson(report: TestReport): object {
  return {
    agent: report.agent,
    agentVersion: report.version,
    repeat: report.repeat,
    durationMs: Math.round(report.durationMs),
    totals: totals(report),
    scenarios: report.outcomes.map((o) => ({ name: o.name, file: o.file, ...summarize(o), runs: o.runs })),
  };
}

// XML 1.0 cannot hold most control characters at all, even escaped.
const INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function text(s: string): string {
  return s.replace(INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
