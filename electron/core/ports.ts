import type { SlipPrinter } from './printing/slipPrinter';

/**
 * What the core is handed from outside. Under plain Node without a spooler (CLI, most tests) the slip
 * printer is absent and the slip is offered as a file instead (`printed: false`).
 */
export interface CorePorts {
  /**
   * Prints slips and test pages: the CUPS adapter (printing/slipPrinter.ts) on Linux and macOS and in the
   * preview when a spooler answers; the Electron print dialog on Windows.
   */
  slipPrinter?: SlipPrinter;
  /** Asks the user for the folder of a day's export bundle (native dialog). Null when they cancel. */
  chooseExportDirectory?(): Promise<string | null>;
}
