import { describe, expect, it } from 'vitest';
import { printerReadiness, printResult, slipOutcomeText, wasPrinted, type SlipPrintOutcome } from '../../electron/core/printing/slipPrinter';
import type { PrinterStatus } from '../../electron/core/printing/cupsPrinter';
import { printerNameSchema } from '../../shared';

const printer = (change: Partial<PrinterStatus>): PrinterStatus => ({ name: 'Counter', description: '', isDefault: false, state: 'idle', accepting: true, reasons: [], message: '', ...change });

describe('what the teller reads about the slip printer', () => {
  it('names the spooler’s reasons in Chinese and English before 打印 is pressed', () => {
    expect(printerReadiness(printer({}))).toEqual({ ready: true, text: { 'zh-CN': '就绪', en: 'ready' } });
    expect(printerReadiness(printer({ state: 'stopped', reasons: ['media-empty-error', 'paused'] }))).toEqual({
      ready: false,
      text: { 'zh-CN': '已停止（缺纸、已暂停）', en: 'stopped (out of paper, paused)' },
    });
    expect(printerReadiness(printer({ state: 'printing', reasons: ['offline-report'] }))).toEqual({ ready: true, text: { 'zh-CN': '正在打印（未连接）', en: 'printing (offline)' } });
    expect(printerReadiness(printer({ accepting: false }))).toEqual({ ready: false, text: { 'zh-CN': '不接受打印任务', en: 'not accepting jobs' } });
    expect(printerReadiness(undefined)).toEqual({ ready: false, text: { 'zh-CN': '打印机不存在', en: 'printer does not exist' } });
  });

  it('counts only the spooler’s printed and the teller’s dialog print as printed', () => {
    expect(wasPrinted({ kind: 'printed', jobId: 7 })).toBe(true);
    expect(wasPrinted({ kind: 'dialog_printed' })).toBe(true);
    const failures: SlipPrintOutcome[] = [
      { kind: 'dialog_failed', reason: 'cancelled' },
      { kind: 'not_configured', layout: 'a5' },
      { kind: 'held', printer: 'P', jobId: 1, reasons: [] },
      { kind: 'timed_out', printer: 'P', jobId: 1, seconds: 60 },
    ];
    for (const outcome of failures) {
      expect(wasPrinted(outcome)).toBe(false);
    }
    expect(printResult({ kind: 'timed_out', printer: 'P', jobId: 9, seconds: 60 }, 'P')).toEqual({
      outcome: 'timed_out',
      printer: 'P',
      jobId: 9,
      text: { 'zh-CN': '打印机「P」在 60 秒内未完成打印，任务已撤销，请检查打印机后重新打印。', en: 'The printer "P" did not finish within 60 s; the job was withdrawn. Check the printer and print again.' },
    });
    expect(slipOutcomeText({ kind: 'dialog_failed', reason: 'cancelled' })['zh-CN']).toBe('打印已取消（在打印对话框中取消）。');
    expect(slipOutcomeText({ kind: 'not_configured', layout: 'roll80' })['zh-CN']).toMatch(/^尚未设置 80 mm 卷纸打印机/);
  });

  it('accepts CUPS queue names only: no spaces, slashes, hashes, quotes or control characters', () => {
    for (const good of ['Counter_A5', 'HP-LaserJet-Pro-M404', '柜台打印机']) expect(printerNameSchema.safeParse(good).success).toBe(true);
    for (const bad of ['', 'a b', 'x/y', 'x\\y', 'x#1', "x'y", 'x"y', 'x\ny', 'x'.repeat(128)]) expect(printerNameSchema.safeParse(bad).success, bad).toBe(false);
  });
});
