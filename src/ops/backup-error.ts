/** A backup or restore that cannot be done, with a sentence saying why. */
export class BackupError extends Error {}
