/** The defaults of `harness test`'s options (and of a suite row's settings), as the command line shows them. */
export const TEST_DEFAULTS = {
  nemesisInterval: '5',
  concurrency: '10',
  rate: '200',
  timeLimit: '30',
  recoveryTimeout: '30',
  provisioner: 'local',
  store: 'store',
} as const;
