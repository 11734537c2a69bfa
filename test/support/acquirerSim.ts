/** The acquirer simulator lives beside the preview (which starts it with `--acquirer-sim`); the tests use the same one. */
export * from '../../electron/preview/acquirerSim';
