import { dialog, type BrowserWindow } from 'electron';

/** The native folder picker for a day's export bundle. Null when the supervisor cancels. */
export async function chooseExportDirectory(window: BrowserWindow | null): Promise<string | null> {
  const options = { title: '选择日终导出目录 Choose the export folder', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
