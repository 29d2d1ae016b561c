/**
 * Errors of the pretrained encoder. A deployer meets them at start-up, when the folder given as
 * the encoder does not hold what Kömek needs, so every message names the file at fault.
 */

/** Why a pretrained encoder folder could not be used. */
export type PretrainedErrorReason =
  | 'folder-missing'
  | 'file-missing'
  | 'file-unreadable'
  | 'unsupported'
  | 'invalid'
  | 'closed';

/** A pretrained encoder folder (or one of its files) cannot be used as it is. */
export class PretrainedModelError extends Error {
  override readonly name = 'PretrainedModelError';

  constructor(
    message: string,
    /** The file or folder at fault. */
    readonly path: string,
    readonly reason: PretrainedErrorReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
