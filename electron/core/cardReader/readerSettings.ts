// The reader's settings are part of the contract (the settings screen sends them); the core validates them
// with the same schema on the way in and again when it reads them back from the database.
export { cardReaderSettingsSchema, SERIAL_BAUD_RATES, type CardReaderSettings } from '../../../shared/contract/cardReader';
