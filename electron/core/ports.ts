/**
 * What only the Electron shell can do, handed to the core as functions. Under plain Node (preview, CLI,
 * tests) they are absent and the core says so in its answers (e.g. `printed: false`).
 */
export interface CorePorts {
  /** Sends a slip to the printer (print dialog or the configured printer). Resolves true when printed. */
  printSlip?(pdf: Buffer, job: PrintJob): Promise<boolean>;
  /** Asks the user for the folder of a day's export bundle (native dialog). Null when they cancel. */
  chooseExportDirectory?(): Promise<string | null>;
}

export interface PrintJob {
  layout: 'a5' | 'roll80';
  /** 'silent' prints straight to `printerName` when the system has it; otherwise the print dialog. */
  mode: 'dialog' | 'silent';
  printerName: string | null;
  /** The first page's height, for the roll's paper length. */
  pageHeightPoints: number;
}
