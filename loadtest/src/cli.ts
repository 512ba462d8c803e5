/**
 * `npm run loadtest -- [options]` (see --help and loadtest/README.md). Exit status: 0 done,
 * 1 an --assert failed, 2 the run could not be made, 3 the run was cut short.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OptionsError, helpText, parseOptions } from './options';
import { ProgressLine } from './progress';
import { AssertionSyntaxError, evaluateChecks, parseChecks, type Check } from './report/assertions';
import { FIGURE_KEYS } from './report/figures';
import { htmlReport } from './report/html-report';
import type { Report } from './report/report';
import { assertionLines, summaryTable } from './report/summary-table';
import { RunError, runLoadtest } from './run-loadtest';

export const EXIT = { OK: 0, ASSERT_FAILED: 1, CANNOT_RUN: 2, CUT_SHORT: 3 } as const;

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  let checks: Check[] = [];
  try {
    parsed = parseOptions(argv);
    if (!parsed.help && parsed.options.assert !== undefined) checks = parseChecks(parsed.options.assert, FIGURE_KEYS);
  } catch (err) {
    if (err instanceof OptionsError || err instanceof AssertionSyntaxError) {
      console.error(`loadtest: ${err.message}`);
      return EXIT.CANNOT_RUN;
    }
    throw err;
  }
  if (parsed.help) {
    console.log(helpText());
    return EXIT.OK;
  }
  const o = parsed.options;
  const progress = o.quiet ? undefined : new ProgressLine(o.bots);
  console.error(
    `loadtest: ${o.bots} bots → ${o.url} (mode ${o.mode}, decode ${o.decode}, input ${o.input}, ${o.workers} workers, ramp ${o.ramp}/s, warm-up ${o.warmup} s, measure ${o.duration} s)`,
  );
  let report: Report;
  try {
    report = await runLoadtest(o, {
      onProgress: (p, phase, elapsed, total) => progress?.update(p, phase, elapsed, total),
      log: (line) => {
        progress?.done();
        console.error(`loadtest: ${line}`);
      },
    });
  } catch (err) {
    progress?.done();
    if (err instanceof RunError) {
      console.error(`loadtest: ${err.message}`);
      const partial = (err as RunError & { report?: Report }).report;
      if (partial) writeOutputs(partial, o.out, o.html);
      return EXIT.CANNOT_RUN;
    }
    throw err;
  }
  progress?.done();
  report.assertions = evaluateChecks(checks, report);
  console.log(summaryTable(report));
  if (report.assertions.length > 0) console.log(assertionLines(report));
  writeOutputs(report, o.out, o.html);
  if (report.aborted) {
    console.error(`loadtest: the run ended early: ${report.aborted}`);
    return EXIT.CUT_SHORT;
  }
  const failed = report.assertions.filter((a) => !a.ok);
  if (failed.length > 0) {
    console.error(`loadtest: ${failed.length} assertion${failed.length > 1 ? 's' : ''} failed: ${failed.map((a) => a.text).join(', ')}`);
    return EXIT.ASSERT_FAILED;
  }
  return EXIT.OK;
}

function writeOutputs(report: Report, out: string | undefined, html: string | undefined): void {
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
    console.error(`loadtest: JSON report written to ${out}`);
  }
  if (html) {
    mkdirSync(dirname(html), { recursive: true });
    writeFileSync(html, htmlReport(report));
    console.error(`loadtest: HTML report written to ${html}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Anything left open (a stuck socket) must not keep the process alive past its answer.
    setTimeout(() => process.exit(code), 500).unref();
  },
  (err) => {
    console.error('loadtest: internal error:', err);
    process.exit(EXIT.CANNOT_RUN);
  },
);
