import { describe, expect, it } from 'vitest';
import { A5_PAGE_MICRONS, pointsToMicrons, printJobOptions, ROLL80_WIDTH_MICRONS } from '../../electron/print';

const printers = [
  { name: 'Counter_Laser_A5', isDefault: false },
  { name: 'EPSON_TM_T88VI', isDefault: false },
  { name: 'Office_MFP_3F', isDefault: true },
];

describe('printing the slip', () => {
  it('prints silently to the configured printer when the system has it', () => {
    const options = printJobOptions({ mode: 'silent', printerName: 'Counter_Laser_A5', layout: 'a5' }, printers);
    expect(options).toMatchObject({ silent: true, deviceName: 'Counter_Laser_A5' });
  });

  it('falls back to the print dialog when the configured printer is gone, never to the default printer', () => {
    const options = printJobOptions({ mode: 'silent', printerName: 'Counter_Laser_Old', layout: 'a5' }, printers);
    expect(options.silent).toBe(false);
    expect(options.deviceName).toBeUndefined();
  });

  it('falls back to the dialog when silent printing is set up without a printer, or no printer exists', () => {
    expect(printJobOptions({ mode: 'silent', layout: 'a5' }, printers).silent).toBe(false);
    expect(printJobOptions({ mode: 'silent', printerName: 'Counter_Laser_A5', layout: 'a5' }, []).silent).toBe(false);
  });

  it('matches the printer name exactly, as the system spells it', () => {
    expect(printJobOptions({ mode: 'silent', printerName: 'counter_laser_a5', layout: 'a5' }, printers).silent).toBe(false);
  });

  it('shows the dialog in dialog mode, with the configured printer preselected', () => {
    const options = printJobOptions({ mode: 'dialog', printerName: 'EPSON_TM_T88VI', layout: 'roll80' }, printers);
    expect(options).toMatchObject({ silent: false, deviceName: 'EPSON_TM_T88VI' });
  });

  it('prints the A5 slip on A5 paper, in microns, inside the printable area', () => {
    const options = printJobOptions({ mode: 'dialog', layout: 'a5' }, printers);
    expect(options.pageSize).toEqual({ width: 148_000, height: 210_000 });
    expect(options.pageSize).toEqual(A5_PAGE_MICRONS);
    expect(options.margins).toEqual({ marginType: 'printableArea' });
    expect(options.landscape).toBe(false);
  });

  it('prints the roll slip on 80 mm paper without margins, as long as the slip', () => {
    const slipHeightPt = 883.25;
    const options = printJobOptions({ mode: 'silent', printerName: 'EPSON_TM_T88VI', layout: 'roll80' }, printers, pointsToMicrons(slipHeightPt));
    expect(options.pageSize).toEqual({ width: ROLL80_WIDTH_MICRONS, height: 311_591 }); // 883.25 pt = 311.59 mm
    expect(options.margins).toEqual({ marginType: 'none' });
    expect(options.silent).toBe(true);
  });

  it('uses the usual 80 × 297 mm receipt length when the slip length is not given', () => {
    expect(printJobOptions({ mode: 'dialog', layout: 'roll80' }, printers).pageSize).toEqual({ width: 80_000, height: 297_000 });
  });

  it('prints one copy', () => {
    expect(printJobOptions({ mode: 'dialog', layout: 'a5' }, printers).copies).toBe(1);
  });
});
