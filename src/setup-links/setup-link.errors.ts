import { UnauthorizedError } from '../common/domain-errors';

/** Why a setup link's token was not exchanged (401 with the code): the page tells the visitor which. */
export type SetupLinkRefusalReason = 'link_unknown' | 'link_expired' | 'link_revoked';

export class SetupLinkRefusal extends UnauthorizedError {
  constructor(
    readonly reason: SetupLinkRefusalReason,
    message: string,
  ) {
    super(message, reason);
  }
}
