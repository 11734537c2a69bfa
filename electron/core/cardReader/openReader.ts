// Opens the reader the settings name.
import { CardReadError } from './errors';
import type { CardReader } from './port';
import type { CardReaderSettings } from './readerSettings';
import { openSerialCardReader } from './serialReader';
import { openVendorLibraryReader } from './vendorLibraryReader';

export async function openConfiguredReader(settings: CardReaderSettings): Promise<CardReader> {
  switch (settings.kind) {
    case 'none':
      throw new CardReadError('not_configured');
    case 'serial':
      return openSerialCardReader({ path: settings.path, baudRate: settings.baudRate });
    case 'vendor_library':
      return openVendorLibraryReader({ libraryPath: settings.libraryPath, port: settings.port });
  }
}
