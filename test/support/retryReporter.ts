import type { Reporter, TestCase } from 'vitest/node';

/**
 * Names every test that needed a retry (the e2e project retries once): the default reporter shows a test that
 * passed on its second run as plainly passed, so a flaky test would go unseen. One line each, at the end of the
 * run and as it happens, so the CI log says which test, how many retries and how it ended.
 */
export default class RetryReporter implements Reporter {
  private readonly retried: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const retries = testCase.diagnostic()?.retryCount ?? 0;
    if (retries === 0) return;
    this.retried.push(`${testCase.module.moduleId.replace(`${process.cwd()}/`, '')} > ${testCase.fullName}: ${testCase.result().state} after ${retries} ${retries === 1 ? 'retry' : 'retries'}`);
  }

  onTestRunEnd(): void {
    process.stdout.write(this.retried.length === 0 ? '\nretried tests: none\n' : `\nretried tests (${this.retried.length}):\n${this.retried.map((line) => `  ${line}`).join('\n')}\n`);
  }
}
