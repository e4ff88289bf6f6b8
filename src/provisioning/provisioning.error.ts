import { Refusal } from '../common/refusal';

export const PROVISIONING_REFUSALS = [
  'user_deactivated',
  'user_not_provisioned',
  'email_missing',
  'email_invalid',
  'email_domain_not_allowed',
] as const;

export type ProvisioningRefusal = (typeof PROVISIONING_REFUSALS)[number];

/** A login whose assertion was valid but whose user may not come in; `reason` is recorded as is. */
export class ProvisioningError extends Refusal<ProvisioningRefusal> {
  constructor(
    reason: ProvisioningRefusal,
    message: string,
    readonly email: string | null = null,
  ) {
    super(reason, message);
  }
}
