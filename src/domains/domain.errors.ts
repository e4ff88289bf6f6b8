import { ConflictError, InvalidInputError } from '../common/domain-errors';

export type DomainRefusal = 'invalid_domain' | 'public_email_domain';

/** A domain name that cannot be claimed (400 with its code). */
export class DomainError extends InvalidInputError {
  constructor(code: DomainRefusal, message: string, field = 'domain') {
    super(field, code, message);
  }
}

/** The domain is verified by another tenant (409 domain_taken). */
export class DomainTakenError extends ConflictError {
  constructor(message: string, field: string) {
    super(message, field, 'domain_taken');
  }
}
