import { Foundation1764374400000 } from './1764374400000-Foundation';
import { SsoSettings1764374500000 } from './1764374500000-SsoSettings';
import { UsersAndSessions1764374600000 } from './1764374600000-UsersAndSessions';
import { SamlLogin1764374700000 } from './1764374700000-SamlLogin';
import { Reliability1764374800000 } from './1764374800000-Reliability';
import { LoginAttemptReference1764374900000 } from './1764374900000-LoginAttemptReference';
import { SingleLogout1764375000000 } from './1764375000000-SingleLogout';
import { DropSpKeyId1764375100000 } from './1764375100000-DropSpKeyId';
import { VerifiedDomains1764375300000 } from './1764375300000-VerifiedDomains';
import { SignInReadiness1764375400000 } from './1764375400000-SignInReadiness';
import { DirectorySync1764375500000 } from './1764375500000-DirectorySync';
import { OidcProvider1764375600000 } from './1764375600000-OidcProvider';
import { OAuthClients1764375610000 } from './1764375610000-OAuthClients';
import { SetupLinks1764375700000 } from './1764375700000-SetupLinks';
import { PartnerOrganizationsByName1764375800000 } from './1764375800000-PartnerOrganizationsByName';
import { SignInHistory1764375900000 } from './1764375900000-SignInHistory';
import { DirectoryReads1764376000000 } from './1764376000000-DirectoryReads';

/** Every migration, in order; the data source takes them from here rather than by file glob. */
export const MIGRATIONS = [
  Foundation1764374400000,
  SsoSettings1764374500000,
  UsersAndSessions1764374600000,
  SamlLogin1764374700000,
  Reliability1764374800000,
  LoginAttemptReference1764374900000,
  SingleLogout1764375000000,
  DropSpKeyId1764375100000,
  VerifiedDomains1764375300000,
  SignInReadiness1764375400000,
  DirectorySync1764375500000,
  OidcProvider1764375600000,
  OAuthClients1764375610000,
  SetupLinks1764375700000,
  PartnerOrganizationsByName1764375800000,
  SignInHistory1764375900000,
  DirectoryReads1764376000000,
];
