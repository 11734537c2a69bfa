/**
 * What only the Electron shell can do, handed to the core as functions. Under plain Node (preview, CLI,
 * tests) they are absent and the core says so in its answers (e.g. `printed: false`).
 */
export interface CorePorts {
  /** Sends a slip to the printer (print dialog or the configured printer). Resolves true when printed. */
  printSlip?(pdf: Buffer, layout: 'a5' | 'roll80'): Promise<boolean>;
  /** Asks the user for the folder of a day's export bundle (native dialog). Null when they cancel. */
  chooseExportDirectory?(): Promise<string | null>;
}
