import type { WebContentsPrintOptions } from 'electron';
import { pathToFileURL } from 'node:url';

/**
 * Printing the slip from the Electron shell. The decision (which printer, silent or with the dialog,
 * which paper) is a pure function, unit-tested without Electron; printPdf only carries it out.
 */
export interface PrintSettings {
  mode: 'dialog' | 'silent';
  /** The system name of the counter's printer, as Electron's getPrintersAsync() reports it. */
  printerName?: string;
  layout: 'a5' | 'roll80';
}

export interface AvailablePrinter {
  name: string;
  isDefault: boolean;
}

// Electron takes custom page sizes in microns.
export const A5_PAGE_MICRONS = { width: 148_000, height: 210_000 } as const;
export const ROLL80_WIDTH_MICRONS = 80_000;
/** The roll's length when the caller does not pass the slip's own: the receipt drivers' usual 80 × 297 mm. */
export const DEFAULT_ROLL_LENGTH_MICRONS = 297_000;

/**
 * Prints silently only to the configured printer, and only when the system still has it: a renamed
 * or unplugged printer falls back to the dialog, so a slip is never sent to whatever happens to be
 * the default printer (perhaps a printer in another office) without the teller seeing it.
 */
export function printJobOptions(
  settings: PrintSettings,
  availablePrinters: AvailablePrinter[],
  rollLengthMicrons: number = DEFAULT_ROLL_LENGTH_MICRONS,
): WebContentsPrintOptions {
  const printerPresent = settings.printerName !== undefined && availablePrinters.some((p) => p.name === settings.printerName);
  const paper: WebContentsPrintOptions =
    settings.layout === 'a5'
      ? // The slip carries its own 8.5 mm margins; the printer only needs to keep off its unprintable edge.
        { pageSize: { ...A5_PAGE_MICRONS }, margins: { marginType: 'printableArea' } }
      : // A receipt printer prints to the edge of the roll, and the slip's page is exactly its content.
        { pageSize: { width: ROLL80_WIDTH_MICRONS, height: Math.max(1_000, Math.ceil(rollLengthMicrons)) }, margins: { marginType: 'none' } };
  return {
    silent: settings.mode === 'silent' && printerPresent,
    // In the dialog the configured printer is preselected when it exists; otherwise the system's choice.
    ...(printerPresent ? { deviceName: settings.printerName } : {}),
    printBackground: false,
    copies: 1,
    landscape: false,
    ...paper,
  };
}

/** Points (1/72 in) to microns, for passing the roll slip's page height to printJobOptions. */
export function pointsToMicrons(points: number): number {
  return Math.ceil((points * 25_400) / 72);
}

export type PrintOutcome = { ok: true } | { ok: false; reason: string /* Electron's failureReason, e.g. 'cancelled' */ };

/**
 * Prints a PDF from a hidden window that shows nothing but that file through Chromium's PDF viewer:
 * sandboxed, isolated, no preload, no navigation, no new windows. (Permission requests are refused by
 * the default session's handler that main.ts installs for every window.)
 */
export async function printPdf(pdfPath: string, options: WebContentsPrintOptions): Promise<PrintOutcome> {
  // Loaded here, not at the top: the pure function above is tested under plain Node, where importing
  // 'electron' would try to fetch the Electron binary.
  const { BrowserWindow } = await import('electron');
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      // Chromium's built-in PDF viewer is a plugin; without it the file would be offered as a download.
      plugins: true,
      spellcheck: false,
      devTools: false,
    },
  });
  const fileUrl = pathToFileURL(pdfPath).href;
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  try {
    await window.loadURL(fileUrl);
    return await new Promise<PrintOutcome>((resolve) => {
      window.webContents.print(options, (success, failureReason) => resolve(success ? { ok: true } : { ok: false, reason: failureReason }));
    });
  } finally {
    window.destroy();
  }
}
