export type ProvisioningRefusal =
  | 'email_missing'
  | 'email_invalid'
  | 'email_domain_not_allowed'
  | 'user_not_provisioned'
  | 'user_deactivated';

/** A login whose assertion was valid but whose user may not come in; `reason` is recorded as is. */
export class ProvisioningError extends Error {
  constructor(
    readonly reason: ProvisioningRefusal,
    message: string,
    readonly email: string | null = null,
  ) {
    super(message);
  }
}
